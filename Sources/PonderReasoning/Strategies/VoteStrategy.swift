import Foundation
import PonderCore

/// Runs the plan's chains in one parallel batch and lets a majority vote decide, stopping early
/// once the leader cannot be overtaken (self-consistency; with one chain, plain chain of thought
/// or one chain with tools).
struct VoteStrategy: ReasoningStrategy {
    func solve(_ run: ReasoningRun) async throws -> Outcome {
        let plan = run.plan, recorder = run.recorder, normalizer = run.normalizer
        let tally = VoteBox(MajorityVote(total: plan.chains, agreementWindow: run.configuration.agreementWindow))
        // One chain and nothing that could change its answer afterwards: stream the answer as it is written.
        let streamsAnswer = plan.chains == 1 && run.configuration.policy == nil
        let chains = try await run.runChains(streamsAnswer: streamsAnswer) { index, chain in
            let decided = tally.record(chain.extractedAnswer)
            if plan.chains > 1 {
                let leader = tally.leader.map { "\($0.answer) leads with \($0.votes)" } ?? "no answer yet"
                recorder.summary("Comparing chains", "Chain \(index + 1) concludes \(chain.extractedAnswer ?? "nothing usable"); \(leader).")
            }
            return decided
        }
        return Self.outcome(chains, vote: tally.value, planned: plan.chains, normalizer: normalizer, recorder: recorder)
    }

    /// The majority's outcome over `chains` (`vote` counted them), with the agreement summary.
    static func outcome(_ chains: [ReasoningChain], vote: MajorityVote, planned: Int, normalizer: AnswerNormalizer,
                        recorder: TraceRecorder) -> Outcome {
        guard let leader = vote.leader else {
            return Outcome(answer: chains.first?.answer ?? "", extracted: nil, chains: chains, votes: [:])
        }
        if planned > 1 {
            let stopped = vote.finished < planned ? " (stopped early after \(vote.finished) of \(planned) chains)" : ""
            recorder.summary("Checking agreement", "\(leader.votes) of \(vote.finished) chains agree on \(leader.answer)\(stopped).")
        }
        // Show a winning chain's own answer line when it states the winning answer; else the answer itself.
        let winner = chains.first { $0.extractedAnswer == leader.answer && normalizer.normalize($0.answer) == leader.answer }
        return Outcome(answer: winner?.answer ?? leader.answer, extracted: leader.answer, chains: chains,
                       votes: Dictionary(vote.tally.map { ($0.answer, $0.votes) }, uniquingKeysWith: +))
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
