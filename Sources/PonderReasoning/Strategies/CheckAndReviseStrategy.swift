import Foundation
import PonderCore

/// Answers, checks with the verifier, and revises while the check fails, up to the plan's rounds.
struct CheckAndReviseStrategy: ReasoningStrategy {
    func solve(_ run: ReasoningRun) async throws -> Outcome {
        let recorder = run.recorder
        var attempt = run
        attempt.plan.chains = 1
        var attempts: [ReasoningChain] = []
        for round in 0...run.plan.reviseRounds {
            attempt.seedOffset = UInt32(round) * 101
            guard var chain = try await attempt.runChains(onChain: { _, _ in false }).first else { break }
            chain.score = try await run.score([chain])[0]
            attempts.append(chain)
            let score = String(format: "%.2f", chain.score ?? 0)
            let answer = chain.extractedAnswer ?? chain.answer
            if (chain.score ?? 0) >= 0.5 {
                recorder.summary("Checking the answer", "The check accepts \(answer) (score \(score)).")
                break
            }
            guard round < run.plan.reviseRounds else {
                recorder.summary("Checking the answer", "The check still doubts \(answer) (score \(score)); no revisions left.")
                break
            }
            recorder.summary("Revising", "The check doubts \(answer) (score \(score)), so the problem is worked again.")
            attempt.messages = run.messages + [
                .assistant("Answer: \(chain.answer)"),
                .user("That answer may be wrong. Check each step carefully and solve the problem again."),
            ]
        }
        guard let best = attempts.max(by: { ($0.score ?? 0) < ($1.score ?? 0) }) else { return .empty }
        return Outcome(answer: best.answer, extracted: best.extractedAnswer, chains: attempts, votes: [:])
    }
}
