import Foundation
import PonderCore

/// Collects one run's summaries and token counts and forwards events to the consumer.
final class TraceRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private let started = Date()
    private let continuation: AsyncThrowingStream<ReasoningEvent, Error>.Continuation
    private(set) var summaries: [ReasoningSummary] = []
    private(set) var usage = ReasoningUsage()

    init(continuation: AsyncThrowingStream<ReasoningEvent, Error>.Continuation) {
        self.continuation = continuation
    }

    var elapsed: Double { Date().timeIntervalSince(started) }

    /// Records and emits a titled step.
    func summary(_ title: String, _ text: String) {
        let summary = ReasoningSummary(title: title, text: text, seconds: (elapsed * 10).rounded() / 10)
        lock.withLock { summaries.append(summary) }
        continuation.yield(.summary(summary))
    }

    func reasoningText(_ text: String) {
        continuation.yield(.reasoning(text))
    }

    func toolOutput(_ text: String) {
        continuation.yield(.toolOutput(text))
    }

    func addToolTokens(_ count: Int) { lock.withLock { usage.toolTokens += count } }
    /// Answer text already streamed while the chain wrote it.
    private var streamed = ""

    /// Emits final answer text.
    func answerText(_ text: String) {
        continuation.yield(.answer(text))
    }

    /// Emits answer text as a single chain writes it, and remembers it. The first piece is preceded
    /// by the last summary, so every summary still comes before the answer.
    func streamAnswerText(_ text: String) {
        let first = lock.withLock { defer { streamed += text }; return streamed.isEmpty }
        if first { summary("Settling on the answer", "The reasoning is done; the answer follows.") }
        continuation.yield(.answer(text))
    }

    /// Everything `streamAnswerText` has emitted.
    var streamedAnswer: String { lock.withLock { streamed } }

    func addReasoningTokens(_ count: Int) { lock.withLock { usage.reasoningTokens += count } }
    func addAnswerTokens(_ count: Int) { lock.withLock { usage.answerTokens += count } }

    func snapshot() -> (summaries: [ReasoningSummary], usage: ReasoningUsage) {
        lock.withLock { (summaries, usage) }
    }
}
