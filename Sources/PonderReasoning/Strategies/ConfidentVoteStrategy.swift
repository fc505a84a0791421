import Foundation
import PonderCore

/// DeepConf (Fu et al. 2025): the model's own token distribution flags weak chains. Every chain
/// is measured; the vote keeps the most confident share of them (η, `keepFraction`) and weights
/// each vote by the chain's lowest group confidence. With `earlyStop`, warm-up chains set a
/// stopping threshold (the (1 − η) percentile of their lowest group confidences, or a threshold
/// calibrated beforehand), the other chains stop as soon as their running group confidence falls
/// below it (their cells are freed at once), and the vote ends once the weighted leader's share
/// passes `consensus`. With a trained verifier, its probabilities keep and weight the chains
/// instead, and its file's calibrated threshold lets every chain start at once.
struct ConfidentVoteStrategy: ReasoningStrategy {
    func solve(_ run: ReasoningRun) async throws -> Outcome {
        let settings = run.configuration.confidence, recorder = run.recorder, plan = run.plan
        let box = ConfidenceVoteBox(consensus: settings.consensus)
        var chains: [ReasoningChain] = []
        var rest = run
        if settings.earlyStop {
            if let calibrated = settings.threshold ?? run.configuration.trainedVerifier?.file.calibratedThreshold(keepFraction: settings.keepFraction) {
                rest.stopBelow = calibrated
            } else {
                var warmup = run
                warmup.plan.chains = settings.warmup(of: plan.chains)
                chains = try await warmup.runChains { _, chain in box.record(chain); return false }
                let lows = chains.compactMap { $0.confidence?.lowestGroup }
                if let threshold = Quantile.of(lows, 1 - settings.keepFraction) {
                    rest.stopBelow = threshold
                    recorder.summary("Setting a confidence bar", "\(chains.count) warm-up chains set the bar at \(String(format: "%.2f", threshold)); weaker chains stop early.")
                }
                rest.plan.chains = plan.chains - warmup.plan.chains
                rest.seedOffset = UInt32(warmup.plan.chains)
                rest.showsFirstChain = false
            }
        }
        // The vote may end early only once more chains than the warm-up have voted.
        let minimumVotes = max(chains.count, settings.warmup(of: plan.chains)) + 1
        if rest.plan.chains > 0 {
            let more = try await rest.runChains { index, chain in
                box.record(chain)
                if chain.stoppedLowConfidence == true {
                    recorder.summary("Dropping a weak chain", "A chain's confidence fell below the bar, so it stopped early.")
                }
                return settings.earlyStop && box.hasConsensus(minimumVotes: minimumVotes)
            }
            chains += more
        }
        guard run.configuration.trainedVerifier != nil else {
            return Self.vote(chains, settings: settings, normalizer: run.normalizer, recorder: recorder, planned: plan.chains)
        }
        // The trained verifier scores the chains that ran to their end, together.
        let finished = chains.indices.filter { chains[$0].stoppedLowConfidence != true }
        let scores = try await run.score(finished.map { chains[$0] })
        for (index, score) in zip(finished, scores) { chains[index].score = score }
        return Self.vote(chains, settings: settings, normalizer: run.normalizer, recorder: recorder, planned: plan.chains)
    }

    /// The weighted vote over the most confident share of the chains that ran to their end.
    static func vote(_ chains: [ReasoningChain], settings: ConfidenceSettings, normalizer: AnswerNormalizer,
                     recorder: TraceRecorder, planned: Int) -> Outcome {
        let tally = WeightedTally(chains, keepFraction: settings.keepFraction)
        guard let leader = tally.leader else {
            return Outcome(answer: chains.first?.answer ?? "", extracted: nil, chains: chains, votes: [:])
        }
        let how = tally.verified ? "weighted by the trained verifier" : tally.measured ? "weighted by confidence" : "unweighted (the backend reports no token confidence)"
        recorder.summary("Weighing confidence",
                         "\(tally.kept.count) of \(chains.count) chains (of \(planned) planned) vote, \(how); \(leader) holds \(Int((tally.share * 100).rounded()))% of the weight.")
        let winner = tally.kept.first { $0.extractedAnswer == leader && normalizer.normalize($0.answer) == leader }
        return Outcome(answer: winner?.answer ?? leader, extracted: leader, chains: chains, votes: tally.counts)
    }

    /// The most confident `fraction` of the chains (at least one): by lowest group confidence, or
    /// `byScore`, by verifier score.
    static func keep(_ chains: [ReasoningChain], fraction: Double, byScore: Bool = false) -> [ReasoningChain] {
        let count = max(1, Int((Double(chains.count) * fraction).rounded(.up)))
        let key: (ReasoningChain) -> Double = byScore ? { $0.score ?? 0 } : { $0.confidence?.lowestGroup ?? 0 }
        return Array(chains.sorted { key($0) > key($1) }.prefix(count))
    }
}

/// Confident-vote's tally: the chains that ran to their end, the most confident share of them
/// kept (by verifier score when every one has a score, else by lowest group confidence), each vote
/// weighted by that measure (unweighted when the backend reported no confidence).
struct WeightedTally {
    let kept: [ReasoningChain]
    let verified: Bool
    let measured: Bool
    var weights: [String: Double] = [:]
    var counts: [String: Int] = [:]

    init(_ chains: [ReasoningChain], keepFraction: Double) {
        let finished = chains.filter { $0.stoppedLowConfidence != true }
        verified = !finished.isEmpty && finished.allSatisfy { $0.score != nil }
        measured = verified || finished.allSatisfy { $0.confidence != nil }
        kept = measured ? ConfidentVoteStrategy.keep(finished, fraction: keepFraction, byScore: verified) : finished
        for chain in kept {
            guard let answer = chain.extractedAnswer else { continue }
            weights[answer, default: 0] += verified ? max(chain.score ?? 0, 0) : measured ? max(chain.confidence?.lowestGroup ?? 0, 0) : 1
            counts[answer, default: 0] += 1
        }
    }

    /// The answer with the most weight (ties to the smaller text), nil when no kept chain has one.
    var leader: String? { weights.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key }

    /// The leader's share of the weight.
    var share: Double {
        let total = weights.values.reduce(0, +)
        return total > 0 ? (leader.flatMap { weights[$0] } ?? 0) / total : 0
    }
}

/// The weighted votes of the chains finished so far, shared with the chain callbacks.
final class ConfidenceVoteBox: @unchecked Sendable {
    private let lock = NSLock()
    private let consensus: Double
    private var weights: [String: Double] = [:]
    private var votes = 0

    init(consensus: Double) { self.consensus = consensus }

    /// Records a chain that ran to its end (a stopped chain does not vote).
    func record(_ chain: ReasoningChain) {
        guard chain.stoppedLowConfidence != true else { return }
        lock.withLock {
            votes += 1
            guard let answer = chain.extractedAnswer else { return }
            weights[answer, default: 0] += max(chain.confidence?.lowestGroup ?? 1, 0)
        }
    }

    /// Whether at least `minimumVotes` chains voted and the weighted leader's share passes the consensus.
    func hasConsensus(minimumVotes: Int) -> Bool {
        lock.withLock {
            let total = weights.values.reduce(0, +)
            guard votes >= minimumVotes, total > 0, let top = weights.values.max() else { return false }
            return top / total >= consensus
        }
    }
}
