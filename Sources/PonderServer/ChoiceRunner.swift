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
    /// OpenAI's finish reason: `stop`, `length` or `content_filter`.
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

/// Produces one choice of a request: maps the reasoner's events to the choice's events. Only
/// summaries and the answer leave the server; the raw reasoning and tool output stay hidden, and a
/// direct reply (no reasoning) has no summaries to show.
struct ChoiceRunner: Sendable {
    let model: any LanguageModel
    let metrics: ServerMetrics
    /// The reasoning prompt file; nil picks the built-in one for the model's family.
    let prompt: ReasoningPrompt?

    func run(_ request: ServingRequest, choice index: Int) -> AsyncThrowingStream<ChoiceEvent, Error> {
        .producing { continuation in try await reason(request, index: index, continuation: continuation) }
    }

    private func reason(_ request: ServingRequest, index: Int, continuation: AsyncThrowingStream<ChoiceEvent, Error>.Continuation) async throws {
        let configuration = try request.configuration(choice: index)
        let showsSummaries = !configuration.plan.isDirect
        let reasoner = Reasoner(model: model, prompt: prompt)
        for try await event in reasoner.reason(about: request.messages, configuration: configuration) {
            switch event {
            case .started:
                continuation.yield(.started)
            case .usage(let usage):
                metrics.addTokens(sampled: usage.completionTokens)
            case .summary(let summary):
                if showsSummaries { continuation.yield(.summary(summary)) }
            case .reasoning, .toolOutput:
                continue
            case .answer(let text):
                continuation.yield(.answer(text))
            case .done(let trace):
                metrics.addReasoningTokens(trace.usage.reasoningTokens)
                continuation.yield(.finished(ChoiceResult(
                    answer: trace.answer, finishReason: (trace.finishReason ?? .stop).rawValue,
                    summaries: showsSummaries ? trace.summaries : [],
                    promptTokens: trace.usage.promptTokens ?? 0, reasoningTokens: trace.usage.reasoningTokens,
                    answerTokens: trace.usage.answerTokens, strategy: trace.strategy, resolvedEffort: trace.resolvedEffort,
                    elapsedSeconds: trace.elapsedSeconds)))
            }
        }
        try Task.checkCancellation()
    }
}
