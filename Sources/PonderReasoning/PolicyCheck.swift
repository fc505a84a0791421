import Foundation
import PonderCore

extension Reasoner {
    /// Reviews the draft answer against each plain-text rule (one per line; `#` starts a comment),
    /// reading the model's judgement from P("Yes") to "Does the answer break this rule?". A broken
    /// rule turns the answer into a refusal that names it.
    func applyPolicy(_ policy: String, to outcome: Outcome, run: ReasoningRun) async throws -> Outcome {
        let rules = Self.rules(in: policy)
        guard !rules.isEmpty else { return outcome }
        let recorder = run.recorder
        let judge = ModelJudge(model: run.model)
        for (number, rule) in rules.enumerated() {
            let breaks = try await judge.probabilityOfYes(
                "Rule: \(rule)\n\nAnswer: \(outcome.answer)\n\nDoes the answer break the rule? Reply with Yes or No.")
            recorder.addReasoningTokens(1)
            if breaks > 0.5 {
                recorder.summary("Checking the policy", "Rule \(number + 1) (\(rule)) applies, so the answer is withheld.")
                return Outcome(answer: "I can't give that answer: it conflicts with rule \(number + 1) (\(rule)).",
                               extracted: nil, chains: outcome.chains, votes: outcome.votes, finishReason: .contentFilter)
            }
        }
        recorder.summary("Checking the policy", "The answer follows all \(rules.count) rule(s).")
        return outcome
    }

    /// Non-empty, non-comment lines of a policy text.
    static func rules(in policy: String) -> [String] {
        policy.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}
