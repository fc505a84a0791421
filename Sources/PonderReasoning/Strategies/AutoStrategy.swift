import Foundation
import PonderCore

/// Effort `auto` with no strategy named: the first chains of `high`'s plan run as the assessment,
/// and they are chains of the answer too. When the rule (`AutoRule`: the configuration's trained
/// verifier file's, else `standard`) says they agree enough, they answer and the effort resolves
/// to medium; otherwise the rest of the plan's chains run and all of them vote (high). The trace's
/// `auto` records why.
struct AutoStrategy: ReasoningStrategy {
    func solve(_ run: ReasoningRun) async throws -> Outcome {
        let rule = run.configuration.trainedVerifier?.file.auto ?? .standard
        let recorder = run.recorder, total = run.plan.chains
        var quick = run
        quick.plan.chains = min(rule.quickChains, total)
        var chains = try await quick.runChains { _, _ in false }
        let (leader, votes, confidence) = AutoDecision.leader(of: chains)
        let measured = confidence.map { String(format: " (confidence %.2f)", $0) } ?? ""
        var more = 0
        if rule.stops(votes: votes, confidence: confidence) || quick.plan.chains >= total {
            recorder.summary("Assessing difficulty", "\(votes) of \(chains.count) first chains agree on \(leader ?? "nothing")\(measured), so they answer.")
        } else {
            more = total - quick.plan.chains
            recorder.summary("Assessing difficulty", "Only \(votes) of \(chains.count) first chains agree\(measured), so \(more) more chains run.")
            var rest = run
            rest.plan.chains = more
            rest.seedOffset = UInt32(quick.plan.chains)
            rest.showsFirstChain = false
            chains += try await rest.runChains { _, _ in false }
        }
        var vote = MajorityVote(total: chains.count)
        for chain in chains { vote.record(chain.extractedAnswer) }
        var outcome = VoteStrategy.outcome(chains, vote: vote, planned: chains.count, normalizer: run.normalizer, recorder: recorder)
        outcome.resolvedEffort = more == 0 ? .medium : .high
        outcome.auto = AutoDecision(rule: rule, agreement: votes, confidence: confidence, moreChains: more)
        return outcome
    }
}
