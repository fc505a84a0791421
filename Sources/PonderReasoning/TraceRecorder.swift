import Foundation
import PonderCore

/// Collects one run's summaries, token counts and answer, and forwards events to the consumer.
final class TraceRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private let started = Date()
    private let continuation: AsyncThrowingStream<ReasoningEvent, Error>.Continuation
    private var summaries: [ReasoningSummary] = []
    private var usage = ReasoningUsage()
    private var modelStarted = false
    /// Answer text already streamed while it was written.
    private var streamed = ""
    /// Whether answer text was streamed (`streamAnswerText` was called).
    private var streaming = false
    private var stopFilter = StreamingTextFilter()

    init(continuation: AsyncThrowingStream<ReasoningEvent, Error>.Continuation) {
        self.continuation = continuation
    }

    var elapsed: Double { Date().timeIntervalSince(started) }

    // MARK: The model

    /// The model produced its first output of the run (emitted once).
    func modelDidStart() {
        let first = lock.withLock { defer { modelStarted = true }; return !modelStarted }
        if first { continuation.yield(.started) }
    }

    /// A model sequence finished: the first one's prompt tokens are the run's, and its usage is reported.
    func sequenceDidFinish(_ sequence: Usage) {
        modelDidStart()
        lock.withLock { usage.promptTokens = usage.promptTokens ?? sequence.promptTokens }
        continuation.yield(.usage(sequence))
    }

    // MARK: Steps and text

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

    // MARK: The answer

    /// Stop strings that cut a streamed chain answer (a direct reply is stopped by the engine).
    func cutStreamedAnswer(at stop: [String]) {
        lock.withLock { stopFilter = StreamingTextFilter(stop: stop) }
    }

    /// Emits answer text as it is written, and remembers it. A chain's answer (`announced`) is
    /// preceded by a last summary, so every summary still comes before the answer.
    func streamAnswerText(_ text: String, announced: Bool = true) {
        let (first, shown) = lock.withLock { () -> (Bool, String) in
            let first = !streaming
            streaming = true
            let shown = stopFilter.append(Array(text.utf8)).text
            streamed += shown
            return (first, shown)
        }
        if first, announced { summary("Settling on the answer", "The reasoning is done; the answer follows.") }
        if !shown.isEmpty { continuation.yield(.answer(shown)) }
    }

    /// Releases streamed answer text held back by the stop filter; returns the whole streamed answer.
    func finishStreamedAnswer() -> String {
        let rest = lock.withLock { () -> String in
            let rest = stopFilter.finish().text
            streamed += rest
            return rest
        }
        if !rest.isEmpty { continuation.yield(.answer(rest)) }
        return lock.withLock { streamed }
    }

    /// Whether any answer text was streamed.
    var hasStreamedAnswer: Bool { lock.withLock { streaming } }

    /// Emits the final answer at once.
    func answerText(_ text: String) {
        continuation.yield(.answer(text))
    }

    // MARK: Counts

    func addToolTokens(_ count: Int) { lock.withLock { usage.toolTokens += count } }
    func addReasoningTokens(_ count: Int) { lock.withLock { usage.reasoningTokens += count } }
    func addAnswerTokens(_ count: Int) { lock.withLock { usage.answerTokens += count } }

    func snapshot() -> (summaries: [ReasoningSummary], usage: ReasoningUsage) {
        lock.withLock { (summaries, usage) }
    }
}
