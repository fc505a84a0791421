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

    /// Reasons about a conversation (the last user message is the question) and streams the steps;
    /// the last event is `.done` with the whole trace. Cancelling the consumer stops all chains.
    public func reason(about messages: [ChatMessage], configuration: ReasoningConfiguration) -> AsyncThrowingStream<ReasoningEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream<ReasoningEvent, Error>.makeStream()
        let task = Task {
            do {
                let trace = try await run(messages: messages, configuration: configuration,
                                          recorder: TraceRecorder(continuation: continuation))
                continuation.yield(.done(trace))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Answers one question and returns the trace.
    public func answer(_ question: String, configuration: ReasoningConfiguration) async throws -> ReasoningTrace {
        for try await event in reason(about: [.user(question)], configuration: configuration) {
            if case .done(let trace) = event { return trace }
        }
        throw CancellationError()
    }

    // MARK: The run

    private func run(messages: [ChatMessage], configuration: ReasoningConfiguration, recorder: TraceRecorder) async throws -> ReasoningTrace {
        guard let question = messages.last(where: { $0.role == .user })?.content,
              question.contains(where: { !$0.isWhitespace }) else { throw ReasoningError.emptyQuestion }
        let normalizer = AnswerNormalizer(question: question)
        var resolved = configuration.effort
        if resolved == .auto {
            resolved = try await assessDifficulty(messages: messages, normalizer: normalizer, configuration: configuration, recorder: recorder)
        } else {
            recorder.summary("Assessing the question", "\(normalizer.kindDescription); effort \(resolved.rawValue) was asked for.")
        }
        var plan = configuration.plan(for: resolved)
        plan.tools = configuration.tools.active(for: question, effort: resolved, strategy: plan.strategy)
        if plan.strategy == .tools, plan.tools.isEmpty {
            throw ReasoningError.invalidSetting(name: "strategy", value: "tools", expected: "at least one tool (tools are off)")
        }
        recorder.summary("Planning the approach", describe(plan))

        var outcome: Outcome
        switch plan.strategy {
        case .direct:
            outcome = try await direct(messages: messages, plan: plan, configuration: configuration, normalizer: normalizer, recorder: recorder)
        case .cot, .selfConsistency, .tools:
            outcome = try await vote(messages: messages, plan: plan, configuration: configuration, normalizer: normalizer, recorder: recorder)
        case .bestOfN:
            outcome = try await bestOfN(messages: messages, question: question, plan: plan, configuration: configuration, normalizer: normalizer, recorder: recorder)
        case .checkAndRevise:
            outcome = try await checkAndRevise(messages: messages, question: question, plan: plan, configuration: configuration, normalizer: normalizer, recorder: recorder)
        }
        if let policy = configuration.policy {
            outcome = try await applyPolicy(policy, to: outcome, recorder: recorder)
        }
        let streamed = recorder.streamedAnswer
        if streamed.isEmpty {
            recorder.summary("Settling on the answer", outcome.extracted.map { "The final answer is \($0)." } ?? "Answering in words.")
            if !outcome.answer.isEmpty { recorder.answerText(outcome.answer) }
        } else {
            outcome.answer = streamed   // the answer line the single chain wrote, as it was shown
        }
        let (summaries, usage) = recorder.snapshot()
        return ReasoningTrace(
            answer: outcome.answer, extractedAnswer: outcome.extracted, summaries: summaries,
            strategy: plan.strategy, effort: configuration.effort, resolvedEffort: resolved,
            samples: outcome.chains, votes: outcome.votes, usage: usage, elapsedSeconds: recorder.elapsed,
            prompt: plan.strategy == .direct ? nil : prompt.label)
    }

    private func describe(_ plan: ReasoningPlan) -> String {
        let plain = describeStrategy(plan)
        guard !plan.tools.isEmpty else { return plain }
        return plain.dropLast() + ", with tools: " + plan.tools.map(\.name).joined(separator: ", ") + "."
    }

    private func describeStrategy(_ plan: ReasoningPlan) -> String {
        switch plan.strategy {
        case .direct:
            return "Answering directly, without hidden reasoning."
        case .cot, .tools:
            return "One chain of up to \(plan.reasoningBudget) reasoning tokens, then the answer."
        case .selfConsistency:
            return "\(plan.samples) chains of up to \(plan.reasoningBudget) reasoning tokens in one parallel batch, then a majority vote."
        case .bestOfN:
            return "\(plan.samples) chains of up to \(plan.reasoningBudget) reasoning tokens, each scored by a verifier."
        case .checkAndRevise:
            return "One chain, then a check, revising up to \(plan.reviseRounds) time(s) while the check fails."
        }
    }

    /// Picks low, medium or high from how much four quick answers agree (the model's own uncertainty).
    private func assessDifficulty(messages: [ChatMessage], normalizer: AnswerNormalizer, configuration: ReasoningConfiguration,
                                  recorder: TraceRecorder) async throws -> Effort {
        let sampling = try SamplingParameters(temperature: 0.7, seed: configuration.seed, maxTokens: 48)
        let quick = try await model.complete(.chat(messages, sampling: sampling, count: 4))
        recorder.addReasoningTokens(quick.reduce(0) { $0 + $1.usage.completionTokens })
        var vote = MajorityVote(total: quick.count)
        for completion in quick { vote.record(normalizer.normalize(completion.text)) }
        let agreement = vote.leader?.votes ?? 0
        let effort: Effort = agreement >= 3 ? .low : agreement == 2 ? .medium : .high
        recorder.summary("Assessing difficulty", "\(agreement) of 4 quick answers agree, so effort \(effort.rawValue) fits.")
        return effort
    }
}

/// What a strategy settled on.
struct Outcome: Sendable {
    var answer: String
    var extracted: String?
    var chains: [ReasoningChain]
    var votes: [String: Int]
}
