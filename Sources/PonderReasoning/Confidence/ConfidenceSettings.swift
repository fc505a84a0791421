import PonderCore

/// How chain confidence is measured and used (DeepConf, Fu et al. 2025), validated at construction.
///
/// ```swift
/// let low = try ConfidenceSettings(keepFraction: 0.1, earlyStop: true)   // DeepConf-low, online
/// ```
public struct ConfidenceSettings: Sendable, Hashable {
    /// Candidates per token whose mean log-probability is its confidence (1...20; 0 measures nothing).
    public let topK: Int
    /// Tokens per group (sliding window) for the group confidences.
    public let window: Int
    /// Tokens of the tail confidence.
    public let tail: Int
    /// The share of chains `confident-vote` keeps, most confident first (η: 0.1 is DeepConf-low,
    /// 0.9 DeepConf-high).
    public let keepFraction: Double
    /// Whether `confident-vote` stops a chain as soon as its running group confidence falls below
    /// the threshold, and the vote once the weighted leader passes `consensus`.
    public let earlyStop: Bool
    /// Warm-up chains that set the threshold online (nil: a quarter of the chains, at least 2).
    /// Unused when `threshold` is given.
    public let warmupChains: Int?
    /// A stopping threshold calibrated beforehand for this model; with it, every chain starts at once.
    public let threshold: Double?
    /// The weighted leader's share of the kept votes that ends the vote early (0.5...1).
    public let consensus: Double

    /// Creates validated settings.
    /// - Throws: `ReasoningError.invalidSetting` naming the value out of range.
    public init(topK: Int = 10, window: Int = 64, tail: Int = 32, keepFraction: Double = 0.9, earlyStop: Bool = false,
                warmupChains: Int? = nil, threshold: Double? = nil, consensus: Double = 0.95) throws {
        guard (0...20).contains(topK) else {
            throw ReasoningError.invalidSetting(name: "confidence top-k", value: "\(topK)", expected: "an integer in 0...20")
        }
        guard (1...4096).contains(window) else {
            throw ReasoningError.invalidSetting(name: "confidence window", value: "\(window)", expected: "an integer in 1...4096")
        }
        guard (1...4096).contains(tail) else {
            throw ReasoningError.invalidSetting(name: "confidence tail", value: "\(tail)", expected: "an integer in 1...4096")
        }
        guard keepFraction.isFinite, keepFraction > 0, keepFraction <= 1 else {
            throw ReasoningError.invalidSetting(name: "keep fraction", value: "\(keepFraction)", expected: "a number in (0, 1]")
        }
        if let warmupChains, !(1...64).contains(warmupChains) {
            throw ReasoningError.invalidSetting(name: "warm-up chains", value: "\(warmupChains)", expected: "an integer in 1...64")
        }
        if let threshold, !threshold.isFinite {
            throw ReasoningError.invalidSetting(name: "confidence threshold", value: "\(threshold)", expected: "a finite number")
        }
        guard consensus.isFinite, (0.5...1).contains(consensus) else {
            throw ReasoningError.invalidSetting(name: "consensus", value: "\(consensus)", expected: "a number in 0.5...1")
        }
        self.topK = topK
        self.window = window
        self.tail = tail
        self.keepFraction = keepFraction
        self.earlyStop = earlyStop
        self.warmupChains = warmupChains
        self.threshold = threshold
        self.consensus = consensus
    }

    /// DeepConf-high's defaults: measure with the top 10, keep 90% of the chains, no early stop.
    public static let standard = try! ConfidenceSettings()

    /// What differs from `standard`, for an eval run's identity ("keep 0.1, early stop"); empty
    /// for the defaults.
    public var runDescription: String {
        var parts: [String] = []
        if topK != 10 { parts.append("top \(topK)") }
        if window != 64 { parts.append("window \(window)") }
        if tail != 32 { parts.append("tail \(tail)") }
        if keepFraction != 0.9 { parts.append("keep \(keepFraction)") }
        if earlyStop { parts.append("early stop") }
        if let warmupChains { parts.append("warm-up \(warmupChains)") }
        if let threshold { parts.append("threshold \(threshold)") }
        if consensus != 0.95 { parts.append("consensus \(consensus)") }
        return parts.joined(separator: ", ")
    }

    /// The warm-up chains for a plan of `chains` (at most all but one).
    func warmup(of chains: Int) -> Int {
        min(max(1, chains - 1), warmupChains ?? max(2, chains / 4))
    }
}
