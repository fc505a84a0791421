import Foundation
import PonderCore

/// Runs N chains, scores each with the verifier, and answers with the best (Cobbe et al. 2021).
struct BestOfNStrategy: ReasoningStrategy {
    func solve(_ run: ReasoningRun) async throws -> Outcome {
        var chains = try await run.runChains { _, _ in false }
        let scores = try await run.score(chains)
        for index in chains.indices { chains[index].score = scores[index] }
        guard let best = chains.indices.max(by: { chains[$0].score ?? 0 < chains[$1].score ?? 0 }) else { return .empty }
        let chosen = chains[best]
        run.recorder.summary("Checking with a verifier",
                             "Chain \(best + 1) scores highest (\(String(format: "%.2f", chosen.score ?? 0))) with \(chosen.extractedAnswer ?? "an unparsed answer").")
        return Outcome(answer: chosen.answer, extracted: chosen.extractedAnswer, chains: chains, votes: [:])
    }
}
