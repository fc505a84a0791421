import Foundation
import PonderCore

/// DeepConf (Fu et al. 2025): the model's own token distribution flags weak chains. Every chain
/// is measured; the vote keeps the most confident share of them (η, `keepFraction`) and weights
/// each vote by the chain's lowest group confidence. With `earlyStop`, warm-up chains set a
/// stopping threshold (the (1 − η) percentile of their lowest group confidences, or a threshold
/// calibrated beforehand), the other chains stop as soon as their running group confidence falls
/// below it (their cells are freed at once), and the vote ends once the weighted leader's share
/// passes `consensus`.
struct ConfidentVoteStrategy: ReasoningStrategy {
    func solve(_ run: ReasoningRun) async throws -> Outcome {
        let settings = run.configuration.confidence, recorder = run.recorder, plan = run.plan
        let box = ConfidenceVoteBox(consensus: settings.consensus)
        var chains: [ReasoningChain] = []
        var rest = run
        if settings.earlyStop {
            if let calibrated = settings.threshold {
                rest.stopBelow = calibrated
            } else {
                var warmup = run
                warmup.plan.chains = settings.warmup(of: plan.chains)
                chains = try await warmup.runChains { _, chain in box.record(chain); return false }
                let lows = chains.compactMap { $0.confidence?.lowestGroup }
                if let threshold = Self.percentile(lows, 1 - settings.keepFraction) {
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
        return Self.vote(chains, settings: settings, normalizer: run.normalizer, recorder: recorder, planned: plan.chains)
    }

    /// The weighted vote over the most confident share of the chains that ran to their end.
    static func vote(_ chains: [ReasoningChain], settings: ConfidenceSettings, normalizer: AnswerNormalizer,
                     recorder: TraceRecorder, planned: Int) -> Outcome {
        let finished = chains.filter { $0.stoppedLowConfidence != true }
        let measured = finished.allSatisfy { $0.confidence != nil }
        let kept = measured ? keep(finished, fraction: settings.keepFraction) : finished
        var weights: [String: Double] = [:]
        var counts: [String: Int] = [:]
        for chain in kept {
            guard let answer = chain.extractedAnswer else { continue }
            weights[answer, default: 0] += measured ? max(chain.confidence?.lowestGroup ?? 0, 0) : 1
            counts[answer, default: 0] += 1
        }
        let total = weights.values.reduce(0, +)
        guard let leader = weights.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else {
            return Outcome(answer: chains.first?.answer ?? "", extracted: nil, chains: chains, votes: [:])
        }
        let share = total > 0 ? leader.value / total : 0
        let how = measured ? "weighted by confidence" : "unweighted (the backend reports no token confidence)"
        recorder.summary("Weighing confidence",
                         "\(kept.count) of \(chains.count) chains (of \(planned) planned) vote, \(how); \(leader.key) holds \(Int((share * 100).rounded()))% of the weight.")
        let winner = kept.first { $0.extractedAnswer == leader.key && normalizer.normalize($0.answer) == leader.key }
        return Outcome(answer: winner?.answer ?? leader.key, extracted: leader.key, chains: chains, votes: counts)
    }

    /// The most confident `fraction` of the chains by lowest group confidence (at least one).
    static func keep(_ chains: [ReasoningChain], fraction: Double) -> [ReasoningChain] {
        let count = max(1, Int((Double(chains.count) * fraction).rounded(.up)))
        return Array(chains.sorted { ($0.confidence?.lowestGroup ?? 0) > ($1.confidence?.lowestGroup ?? 0) }.prefix(count))
    }

    /// The `q` quantile (0...1) of `values`, linearly interpolated; nil for none.
    static func percentile(_ values: [Double], _ q: Double) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let position = min(max(q, 0), 1) * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
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
