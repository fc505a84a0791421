import Foundation
import PonderCore
import PonderReasoning

/// What one choice reports while it is produced.
enum ChoiceEvent: Sendable {
    /// The model has started (the prompt fit and the first tokens or an error arrived).
    case started
    /// A titled reasoning step.
    case summary(ReasoningSummary)
    /// Answer text.
    case answer(String)
    /// The choice is complete.
    case finished(ChoiceResult)
}

/// One finished choice.
struct ChoiceResult: Sendable {
    var answer: String
    /// OpenAI's finish reason: `stop` or `length`.
    var finishReason: String
    var summaries: [ReasoningSummary]
    var promptTokens: Int
    var reasoningTokens: Int
    var answerTokens: Int
    /// Strategy that ran (`direct` when the reasoner was skipped).
    var strategy: StrategyKind
    var resolvedEffort: Effort
    var elapsedSeconds: Double
}

/// Produces one choice of a request: through the reasoner, or straight from the model when the
/// request asks for no reasoning (then the answer streams token by token).
struct ChoiceRunner: Sendable {
    let model: any LanguageModel
    let metrics: ServerMetrics
    /// The reasoning prompt file; nil picks the built-in one for the model's family.
    let prompt: ReasoningPrompt?

    func run(_ request: ServingRequest, choice index: Int) -> AsyncThrowingStream<ChoiceEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream<ChoiceEvent, Error>.makeStream()
        let task = Task {
            do {
                if request.isDirect {
                    try await direct(request, index: index, continuation: continuation)
                } else {
                    try await reason(request, index: index, continuation: continuation)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func direct(_ request: ServingRequest, index: Int, continuation: AsyncThrowingStream<ChoiceEvent, Error>.Continuation) async throws {
        let started = Date()
        let generation = try GenerationRequest.chat(request.messages, sampling: request.directSampling(choice: index))
        var answer = ""
        var sentStart = false
        var finish: SequenceFinish?
        for try await event in model.generate(generation) {
            if !sentStart { continuation.yield(.started); sentStart = true }
            switch event {
            case .text(let delta):
                guard !delta.text.isEmpty else { continue }
                answer += delta.text
                continuation.yield(.answer(delta.text))
            case .finished(let done):
                finish = done
                metrics.addTokens(sampled: done.usage.completionTokens)
            }
        }
        try Task.checkCancellation()
        let usage = finish?.usage ?? Usage()
        continuation.yield(.finished(ChoiceResult(
            answer: answer, finishReason: finish?.reason == .length ? "length" : "stop", summaries: [],
            promptTokens: usage.promptTokens, reasoningTokens: 0, answerTokens: usage.completionTokens,
            strategy: .direct, resolvedEffort: request.effort, elapsedSeconds: Date().timeIntervalSince(started))))
    }

    private func reason(_ request: ServingRequest, index: Int, continuation: AsyncThrowingStream<ChoiceEvent, Error>.Continuation) async throws {
        let configuration = try request.configuration(choice: index)
        let metrics = self.metrics
        let metered = MeteredModel(model, onStart: { continuation.yield(.started) },
                                   onSampled: { metrics.addTokens(sampled: $0) })
        let reasoner = Reasoner(model: metered, prompt: prompt)
        // Answer text arrives token by token for single-chain strategies; stop strings are cut
        // across deltas, as the final answer is.
        var stopFilter = StreamingTextFilter(stop: request.stop)
        var answerSent = false
        for try await event in reasoner.reason(about: request.messages, configuration: configuration) {
            switch event {
            case .summary(let summary):
                continuation.yield(.summary(summary))
            case .reasoning, .toolOutput:
                continue   // hidden: only the summaries leave the server
            case .answer(let text):
                let shown = stopFilter.append(Array(text.utf8)).text
                if !shown.isEmpty { continuation.yield(.answer(shown)) }
                answerSent = true
            case .done(let trace):
                let answer = Self.cut(trace.answer, at: request.stop)
                if answerSent {
                    let rest = stopFilter.finish().text
                    if !rest.isEmpty { continuation.yield(.answer(rest)) }
                } else if !answer.isEmpty {
                    continuation.yield(.answer(answer))
                }
                let hitLimit = trace.samples.contains { $0.answer == trace.answer && $0.answerTokens >= configuration.maxAnswerTokens }
                metrics.addReasoningTokens(trace.usage.reasoningTokens)
                continuation.yield(.finished(ChoiceResult(
                    answer: answer, finishReason: hitLimit ? "length" : "stop", summaries: trace.summaries,
                    promptTokens: metered.promptTokens, reasoningTokens: trace.usage.reasoningTokens,
                    answerTokens: trace.usage.answerTokens, strategy: trace.strategy, resolvedEffort: trace.resolvedEffort,
                    elapsedSeconds: trace.elapsedSeconds)))
            }
        }
        try Task.checkCancellation()
    }

    /// The text before the first stop string.
    static func cut(_ text: String, at stops: [String]) -> String {
        var result = text
        for stop in stops {
            if let range = result.range(of: stop) { result = String(result[..<range.lowerBound]) }
        }
        return result
    }
}
