import Foundation
import PonderCore

extension Reasoner {
    /// No reasoning: the model answers the conversation as is.
    func direct(messages: [ChatMessage], plan: ReasoningPlan, configuration: ReasoningConfiguration,
                normalizer: AnswerNormalizer, recorder: TraceRecorder) async throws -> Outcome {
        let sampling = try SamplingParameters(temperature: plan.temperature, seed: configuration.seed, maxTokens: plan.answerBudget)
        let completion = try await model.complete(.chat(messages, sampling: sampling))[0]
        recorder.addAnswerTokens(completion.usage.completionTokens)
        let answer = completion.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return Outcome(answer: answer, extracted: normalizer.normalize(answer), chains: [], votes: [:])
    }

    /// Runs the plan's chains in one parallel batch and lets a majority vote decide, stopping early
    /// once the leader cannot be overtaken (self-consistency; with one chain, plain chain of thought).
    func vote(messages: [ChatMessage], plan: ReasoningPlan, configuration: ReasoningConfiguration,
              normalizer: AnswerNormalizer, recorder: TraceRecorder) async throws -> Outcome {
        let tally = VoteBox(MajorityVote(total: plan.samples, agreementWindow: configuration.agreementWindow))
        // One chain and nothing that could change its answer afterwards: stream the answer as it is written.
        let streamsAnswer = plan.samples == 1 && configuration.policy == nil
        let chains = try await runChains(messages: messages, plan: plan, configuration: configuration, normalizer: normalizer,
                                         recorder: recorder, streamsAnswer: streamsAnswer) { index, chain in
            let decided = tally.record(chain.extractedAnswer)
            if plan.samples > 1 {
                let leader = tally.leader.map { "\($0.answer) leads with \($0.votes)" } ?? "no answer yet"
                recorder.summary("Comparing chains", "Chain \(index + 1) concludes \(chain.extractedAnswer ?? "nothing usable"); \(leader).")
            }
            return decided
        }
        let vote = tally.value
        let ordered = chains.sorted { $0.key < $1.key }.map(\.value)
        guard let leader = vote.leader else {
            let fallback = ordered.first
            return Outcome(answer: fallback?.answer ?? "", extracted: nil, chains: ordered, votes: [:])
        }
        if plan.samples > 1 {
            let stopped = vote.finished < plan.samples ? " (stopped early after \(vote.finished) of \(plan.samples) chains)" : ""
            recorder.summary("Checking agreement", "\(leader.votes) of \(vote.finished) chains agree on \(leader.answer)\(stopped).")
        }
        // Show a winning chain's own answer line when it states the winning answer; else the answer itself.
        let winner = ordered.first { $0.extractedAnswer == leader.answer && normalizer.normalize($0.answer) == leader.answer }
        return Outcome(answer: winner?.answer ?? leader.answer,
                       extracted: leader.answer, chains: ordered,
                       votes: Dictionary(vote.tally.map { ($0.answer, $0.votes) }, uniquingKeysWith: +))
    }

    /// Runs N chains, scores each with the verifier, and answers with the best.
    func bestOfN(messages: [ChatMessage], question: String, plan: ReasoningPlan, configuration: ReasoningConfiguration,
                 normalizer: AnswerNormalizer, recorder: TraceRecorder) async throws -> Outcome {
        let chains = try await runChains(messages: messages, plan: plan, configuration: configuration, normalizer: normalizer,
                                         recorder: recorder) { _, _ in false }
        var ordered = chains.sorted { $0.key < $1.key }.map(\.value)
        let verifier = configuration.verifier ?? ModelJudge(model: model)
        let scores = try await score(ordered, question: question, verifier: verifier, recorder: recorder)
        for index in ordered.indices { ordered[index].score = scores[index] }
        guard let best = ordered.indices.max(by: { ordered[$0].score ?? 0 < ordered[$1].score ?? 0 }) else {
            return Outcome(answer: "", extracted: nil, chains: [], votes: [:])
        }
        let chosen = ordered[best]
        recorder.summary("Checking with a verifier",
                         "Chain \(best + 1) scores highest (\(String(format: "%.2f", chosen.score ?? 0))) with \(chosen.extractedAnswer ?? "an unparsed answer").")
        return Outcome(answer: chosen.answer, extracted: chosen.extractedAnswer, chains: ordered, votes: [:])
    }

    /// Answers, checks with the verifier, and revises while the check fails, up to the plan's rounds.
    func checkAndRevise(messages: [ChatMessage], question: String, plan: ReasoningPlan, configuration: ReasoningConfiguration,
                        normalizer: AnswerNormalizer, recorder: TraceRecorder) async throws -> Outcome {
        let verifier = configuration.verifier ?? ModelJudge(model: model)
        var conversation = messages
        var attempts: [ReasoningChain] = []
        for round in 0...plan.reviseRounds {
            var roundPlan = plan
            roundPlan.samples = 1
            let chains = try await runChains(messages: conversation, plan: roundPlan, configuration: configuration, normalizer: normalizer,
                                             recorder: recorder, seedOffset: UInt32(round) * 101) { _, _ in false }
            guard var chain = chains[0] else { break }
            chain.score = try await score([chain], question: question, verifier: verifier, recorder: recorder)[0]
            attempts.append(chain)
            let score = String(format: "%.2f", chain.score ?? 0)
            if (chain.score ?? 0) >= 0.5 {
                recorder.summary("Checking the answer", "The check accepts \(chain.extractedAnswer ?? chain.answer) (score \(score)).")
                break
            }
            guard round < plan.reviseRounds else {
                recorder.summary("Checking the answer", "The check still doubts \(chain.extractedAnswer ?? chain.answer) (score \(score)); no revisions left.")
                break
            }
            recorder.summary("Revising", "The check doubts \(chain.extractedAnswer ?? chain.answer) (score \(score)), so the problem is worked again.")
            conversation = messages + [
                .assistant("Answer: \(chain.answer)"),
                .user("That answer may be wrong. Check each step carefully and solve the problem again."),
            ]
        }
        guard let best = attempts.max(by: { ($0.score ?? 0) < ($1.score ?? 0) }) else {
            return Outcome(answer: "", extracted: nil, chains: [], votes: [:])
        }
        return Outcome(answer: best.answer, extracted: best.extractedAnswer, chains: attempts, votes: [:])
    }

    // MARK: Shared pieces

    func runChains(messages: [ChatMessage], plan: ReasoningPlan, configuration: ReasoningConfiguration, normalizer: AnswerNormalizer,
                   recorder: TraceRecorder, seedOffset: UInt32 = 0, streamsAnswer: Bool = false,
                   onChain: @escaping @Sendable (Int, ReasoningChain) async -> Bool) async throws -> [Int: ReasoningChain] {
        let sampling = try SamplingParameters(temperature: plan.temperature, seed: configuration.seed &+ seedOffset, maxTokens: 1)
        let runner = ChainRunner(model: model, format: format, prompt: prompt)
        let firstSentence = SentenceCatcher()
        let chains = try await runner.run(
            messages: messages, count: plan.samples, reasoningBudget: plan.reasoningBudget, answerBudget: plan.answerBudget,
            answerForm: configuration.answerForm, sampling: sampling, tools: plan.tools, maxToolCalls: configuration.tools.maxCallsPerChain,
            normalize: { normalizer.normalize($0) },
            onReasoningText: { text in
                recorder.reasoningText(text)
                if let sentence = firstSentence.feed(text) {
                    recorder.summary("Working through the problem", sentence)
                }
            },
            onToolCall: { call, text in
                recorder.toolOutput(text)
                if let tool = plan.tools.first(where: { $0.name == call.tool }) {
                    let summary = tool.summary(of: call)
                    recorder.summary(summary.title, summary.text)
                }
            },
            onForcedClosing: { atEnd in
                recorder.summary("Closing the reasoning", atEnd
                    ? "The model stopped without an answer line, so the answer was asked for."
                    : "The \(plan.reasoningBudget)-token budget was reached, so the answer was asked for.")
            },
            onAnswerText: streamsAnswer ? { @Sendable text in recorder.streamAnswerText(text) } : nil,
            onChain: { index, chain in
                recorder.addToolTokens(chain.toolTokens)
                recorder.addReasoningTokens(chain.reasoningTokens)
                recorder.addAnswerTokens(chain.answerTokens)
                return await onChain(index, chain)
            })
        return chains
    }

    func score(_ chains: [ReasoningChain], question: String, verifier: any Verifier, recorder: TraceRecorder) async throws -> [Double] {
        try await withThrowingTaskGroup(of: (Int, Double).self) { group in
            for (index, chain) in chains.enumerated() {
                group.addTask { (index, try await verifier.score(question: question, answer: chain.answer, extracted: chain.extractedAnswer)) }
            }
            var scores = Array(repeating: 0.0, count: chains.count)
            for try await (index, value) in group { scores[index] = value }
            if verifier is ModelJudge { recorder.addReasoningTokens(chains.count) }
            return scores
        }
    }
}

/// A vote shared between the chain callbacks and the strategy.
final class VoteBox: @unchecked Sendable {
    private let lock = NSLock()
    private var vote: MajorityVote
    init(_ vote: MajorityVote) { self.vote = vote }
    /// Records an answer; returns whether the vote is decided.
    func record(_ answer: String?) -> Bool { lock.withLock { vote.record(answer); return vote.isDecided } }
    var leader: (answer: String, votes: Int)? { lock.withLock { vote.leader } }
    var value: MajorityVote { lock.withLock { vote } }
}

/// Catches the first complete sentence of streamed reasoning, once, for the "working" summary.
final class SentenceCatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    private var done = false

    func feed(_ piece: String) -> String? {
        lock.withLock {
            guard !done else { return nil }
            text += piece
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let end = trimmed.firstIndex(where: { ".!?\n".contains($0) }), trimmed.distance(from: trimmed.startIndex, to: end) >= 12 else {
                if text.count > 160 { done = true; return String(trimmed.prefix(120)) + "…" }
                return nil
            }
            done = true
            var sentence = String(trimmed[...end]).trimmingCharacters(in: .whitespacesAndNewlines)
            if sentence.count > 140 { sentence = String(sentence.prefix(139)) + "…" }
            return sentence
        }
    }
}
