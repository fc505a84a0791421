import Foundation
import PonderCore

/// Thinks before answering, over any `LanguageModel`: assesses the question, plans, solves with a
/// strategy (one chain, a vote over parallel chains, a verifier's pick, or check-and-revise),
/// checks, and answers. Reasoning stays hidden; titled summaries report each step.
///
/// ```swift
/// let reasoner = Reasoner(model: engine)
/// let trace = try await reasoner.answer("What is 17 + 25?", configuration: .init(effort: .medium))
/// print(trace.answer, trace.summaries.map(\.title))
/// ```
public struct Reasoner: Sendable {
    /// The model that thinks and answers.
    public let model: any LanguageModel
    /// How reasoning is separated from answers for this model.
    public let format: ThinkingFormat
    /// The prompt file in use (instructions and tool invitations for this model family).
    public let prompt: ReasoningPrompt

    /// Creates a reasoner. The prompt is the built-in one for the model's family unless given
    /// (`ReasoningPrompt.select(for:)`); the thinking format is the prompt's unless given.
    public init(model: any LanguageModel, format: ThinkingFormat? = nil, prompt: ReasoningPrompt? = nil) {
        self.model = model
        let chosen = prompt ?? ReasoningPrompt.select(for: model.info)
        self.prompt = chosen
        self.format = format ?? (try? chosen.thinkingFormat()) ?? .detect(for: model.info)
    }

    /// Reasons about a conversation (the last user message is the question) and streams the steps.
    /// Events come in this order: `.started` once the model's first output arrives, then
    /// summaries, reasoning, tool output, usage and answer text as they happen, and last `.done`
    /// with the whole trace. Cancelling the consumer stops all chains.
    public func reason(about messages: [ChatMessage], configuration: ReasoningConfiguration) -> AsyncThrowingStream<ReasoningEvent, Error> {
        .producing { continuation in
            let trace = try await run(messages: messages, configuration: configuration, recorder: TraceRecorder(continuation: continuation))
            continuation.yield(.done(trace))
        }
    }

    /// Answers one question and returns the trace.
    public func answer(_ question: String, configuration: ReasoningConfiguration) async throws -> ReasoningTrace {
        for try await event in reason(about: [.user(question)], configuration: configuration) {
            if case .done(let trace) = event { return trace }
        }
        throw CancellationError()
    }

    /// Samples `count` chains for a conversation with exactly the prompt, thinking format,
    /// budgets, tools and steering that `reason` uses at the configuration's (resolved) effort,
    /// with no vote, verifier or summaries: for training on the model's own chains. Chain `i` is
    /// seeded with the configuration's seed plus `i`.
    /// - Throws: `ReasoningError` for an empty question or a `count` outside 1...64.
    public func sampleChains(about messages: [ChatMessage], count: Int, configuration: ReasoningConfiguration) async throws -> [SampledReasoningChain] {
        guard (1...64).contains(count) else {
            throw ReasoningError.invalidSetting(name: "samples", value: "\(count)", expected: "an integer in 1...64")
        }
        // Nothing is reported: the recorder's events go nowhere.
        let (_, continuation) = AsyncThrowingStream<ReasoningEvent, Error>.makeStream()
        continuation.finish()
        var run = try start(messages: messages, configuration: configuration, effort: configuration.effort == .auto ? .high : configuration.effort,
                            recorder: TraceRecorder(continuation: continuation))
        run.plan.chains = count
        let prompt = run.chainPrompt
        return try await run.generateChains().map { result in
            SampledReasoningChain(prompt: prompt, completion: result.completion, chain: result.chain,
                                  injections: result.injections, sequence: result.index)
        }
    }

    // MARK: The run

    /// The run for a question once its effort is known: the plan, with the tools for the question.
    private func start(messages: [ChatMessage], configuration: ReasoningConfiguration, effort: Effort,
                       recorder: TraceRecorder) throws -> ReasoningRun {
        let question = try Self.question(in: messages, configuration: configuration)
        var plan = configuration.plan(for: effort)
        plan.tools = configuration.tools.active(for: question, effort: effort, strategy: plan.strategy)
        if plan.strategy == .tools, plan.tools.isEmpty {
            throw ReasoningError.invalidSetting(name: "strategy", value: "tools", expected: "at least one tool (tools are off)")
        }
        return ReasoningRun(model: RunModel(base: model, recorder: recorder), format: format, prompt: prompt, messages: messages,
                            question: question, plan: plan, configuration: configuration,
                            normalizer: AnswerNormalizer(question: question), recorder: recorder)
    }

    /// The last user message: the question. A direct reply answers any conversation; reasoning
    /// needs a question. - Throws: `ReasoningError.emptyQuestion` when reasoning has none.
    private static func question(in messages: [ChatMessage], configuration: ReasoningConfiguration) throws -> String {
        let question = messages.last(where: { $0.role == .user })?.content ?? ""
        guard question.contains(where: { !$0.isWhitespace })
                || ReasoningConfiguration.answersDirectly(effort: configuration.effort, strategy: configuration.strategy) else {
            throw ReasoningError.emptyQuestion
        }
        return question
    }

    private func run(messages: [ChatMessage], configuration: ReasoningConfiguration, recorder: TraceRecorder) async throws -> ReasoningTrace {
        let question = try Self.question(in: messages, configuration: configuration)
        let normalizer = AnswerNormalizer(question: question)
        var resolved = configuration.effort
        // `auto` with no strategy or its own (self-consistency): the first chains of high's plan
        // assess the question and decide how many more run (AutoStrategy); with another strategy
        // named it runs at high.
        let staged = resolved == .auto && (configuration.strategy ?? Effort.auto.defaultStrategy) == Effort.auto.defaultStrategy
        if resolved == .auto {
            resolved = .high
            recorder.summary("Assessing the question", staged
                ? "\(normalizer.kindDescription); effort auto: the first chains decide how many more run."
                : "\(normalizer.kindDescription); effort auto with \(configuration.strategy?.rawValue ?? "this strategy") runs at high.")
        } else {
            recorder.summary("Assessing the question", "\(normalizer.kindDescription); effort \(resolved.rawValue) was asked for.")
        }
        let run = try start(messages: messages, configuration: configuration, effort: resolved, recorder: recorder)
        let plan = run.plan
        recorder.summary("Planning the approach", staged ? describeAuto(plan, configuration: configuration) : describe(plan, configuration: configuration))
        // A direct reply is stopped by the engine at a stop string; a chain's answer is cut here.
        if !plan.isDirect { recorder.cutStreamedAnswer(at: plan.stop) }

        var outcome = try await (staged ? AutoStrategy() : plan.strategy.strategy).solve(run)
        if let policy = configuration.policy {
            outcome = try await applyPolicy(policy, to: outcome, run: run)
        }
        let finishReason = outcome.finishReason ?? Self.finishReason(of: outcome)
        if recorder.hasStreamedAnswer {
            outcome.answer = recorder.finishStreamedAnswer()   // the answer as it was shown
        } else {
            outcome.answer = Self.cut(outcome.answer, at: plan.stop)
            if !plan.isDirect {
                recorder.summary("Settling on the answer", outcome.extracted.map { "The final answer is \($0)." } ?? "Answering in words.")
            }
            if !outcome.answer.isEmpty { recorder.answerText(outcome.answer) }
        }
        let (summaries, usage) = recorder.snapshot()
        return ReasoningTrace(
            answer: outcome.answer, extractedAnswer: outcome.extracted, summaries: summaries,
            strategy: plan.strategy, effort: configuration.effort, resolvedEffort: outcome.resolvedEffort ?? resolved,
            samples: outcome.chains, votes: outcome.votes, usage: usage, elapsedSeconds: recorder.elapsed,
            prompt: plan.isDirect ? nil : prompt.label, finishReason: finishReason, auto: outcome.auto)
    }

    /// `length` when a chain that gave the final answer ran its answer to the token limit.
    private static func finishReason(of outcome: Outcome) -> ReasoningFinishReason {
        outcome.chains.contains { $0.answer == outcome.answer && $0.finishReason == .length } ? .length : .stop
    }

    /// The text before the first stop string.
    static func cut(_ text: String, at stops: [String]) -> String {
        var result = text
        for stop in stops {
            if let range = result.range(of: stop) { result = String(result[..<range.lowerBound]) }
        }
        return result
    }

    private func describe(_ plan: ReasoningPlan, configuration: ReasoningConfiguration) -> String {
        let plain = describeStrategy(plan, configuration: configuration)
        guard !plan.tools.isEmpty else { return plain }
        return plain.dropLast() + ", with tools: " + plan.tools.map(\.name).joined(separator: ", ") + "."
    }

    private func describeStrategy(_ plan: ReasoningPlan, configuration: ReasoningConfiguration) -> String {
        switch plan.strategy {
        case .direct:
            return "Answering directly, without hidden reasoning."
        case .cot, .tools:
            return "One chain of up to \(plan.reasoningBudget) reasoning tokens, then the answer."
        case .selfConsistency:
            return "\(plan.chains) chains of up to \(plan.reasoningBudget) reasoning tokens in one parallel batch, then a majority vote."
        case .bestOfN:
            return "\(plan.chains) chains of up to \(plan.reasoningBudget) reasoning tokens, each scored by a verifier."
        case .checkAndRevise:
            return "One chain, then a check, revising up to \(plan.reviseRounds) time(s) while the check fails."
        case .confidentVote:
            let settings = configuration.confidence
            let stop = settings.earlyStop ? ", stopping weak chains early" : ""
            return "\(plan.chains) chains of up to \(plan.reasoningBudget) reasoning tokens, voted on by confidence, keeping the most confident \(Int((settings.keepFraction * 100).rounded()))%\(stop)."
        }
    }

    private func describeAuto(_ plan: ReasoningPlan, configuration: ReasoningConfiguration) -> String {
        let rule = configuration.trainedVerifier?.file.auto ?? .standard
        let plain = "Up to \(plan.chains) chains of up to \(plan.reasoningBudget) reasoning tokens: the first \(min(rule.quickChains, plan.chains)) decide whether the rest run, then a majority vote."
        guard !plan.tools.isEmpty else { return plain }
        return plain.dropLast() + ", with tools: " + plan.tools.map(\.name).joined(separator: ", ") + "."
    }
}
