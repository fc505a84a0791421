import ArgumentParser
import PonderReasoning

/// How confident-vote measures and uses chain confidence (DeepConf), shared by ask, chat and eval.
struct ConfidenceOptions: ParsableArguments {
    @Option(name: .customLong("keep-fraction"), help: "confident-vote: the share of chains kept, most confident first (0.1 is DeepConf-low, 0.9 DeepConf-high).")
    var keepFraction: Double = 0.9

    @Flag(name: .customLong("early-stop"), help: "confident-vote: stop chains whose running confidence falls below the bar set by warm-up chains (or --confidence-threshold), and the vote at consensus.")
    var earlyStop = false

    @Option(name: .customLong("warmup-chains"), help: "confident-vote with --early-stop: warm-up chains that set the bar (default: a quarter of the chains, at least 2).")
    var warmupChains: Int?

    @Option(name: .customLong("confidence-threshold"), help: "confident-vote with --early-stop: a bar calibrated beforehand; every chain starts at once.")
    var threshold: Double?

    @Option(name: .long, help: "confident-vote with --early-stop: the weighted leader's share that ends the vote (0.5...1).")
    var consensus: Double = 0.95

    @Option(name: .customLong("confidence-top-k"), help: "Candidates per token whose mean log-probability is its confidence (0...20; 0 measures nothing).")
    var topK: Int = 10

    @Option(name: .customLong("confidence-window"), help: "Tokens per group for the group confidences.")
    var window: Int = 64

    /// The validated settings.
    func settings() throws -> ConfidenceSettings {
        try ConfidenceSettings(topK: topK, window: window, keepFraction: keepFraction, earlyStop: earlyStop,
                               warmupChains: warmupChains, threshold: threshold, consensus: consensus)
    }

    mutating func validate() throws {
        do { _ = try settings() } catch { throw ValidationError("\(error)") }
    }
}
