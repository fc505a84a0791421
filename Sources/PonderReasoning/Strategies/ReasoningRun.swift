import Foundation
import PonderCore

/// Everything a strategy needs to solve one question: the model (metered into the run's
/// events), the conversation, the plan, the configuration, the normalizer and the recorder.
struct ReasoningRun: Sendable {
    /// The model, reporting its start and usage through the recorder.
    let model: any LanguageModel
    let format: ThinkingFormat
    let prompt: ReasoningPrompt
    /// The conversation the chains continue (a revision round adds to it).
    var messages: [ChatMessage]
    /// The question (the last user message of the original conversation).
    let question: String
    var plan: ReasoningPlan
    let configuration: ReasoningConfiguration
    let normalizer: AnswerNormalizer
    let recorder: TraceRecorder
    /// Added to the configuration's seed (check-and-revise varies it per round; a second batch of
    /// chains starts after the first's seeds).
    var seedOffset: UInt32 = 0
    /// Early termination: chains stop once their running group confidence falls below this.
    var stopBelow: Double? = nil
    /// Whether the first chain's reasoning and tool output are shown (a later batch's are not).
    var showsFirstChain = true

    /// The verifier for best-of-n and check-and-revise: the configuration's, else the model's own judgement.
    var verifier: any Verifier { configuration.verifier ?? ModelJudge(model: model) }

    /// Scores each chain: with the configuration's trained verifier (over all of `chains` together,
    /// asking the model for P("Yes") only when the verifier uses it), else with ``verifier``, in parallel.
    func score(_ chains: [ReasoningChain]) async throws -> [Double] {
        guard configuration.verifier == nil, let trained = configuration.trainedVerifier else { return try await judge(chains, with: verifier) }
        let judged = trained.usesJudge(alone: chains.count == 1) ? try await judge(chains, with: ModelJudge(model: model)) : nil
        return trained.probabilities(for: chains, question: question, judge: judged)
    }

    private func judge(_ chains: [ReasoningChain], with verifier: any Verifier) async throws -> [Double] {
        let question = self.question
        return try await withThrowingTaskGroup(of: (Int, Double).self) { group in
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
