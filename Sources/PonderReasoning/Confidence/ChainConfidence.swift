import PonderCore

/// DeepConf's confidence measures of one chain (Fu et al. 2025, "Deep Think with Confidence"),
/// from the confidence of each sampled token: the negative mean log-probability of its top-k
/// candidates (`GenerationRequest.confidenceTopK`). Higher means the model was surer. A weak
/// stretch of reasoning shows as a low group confidence even when the chain's mean looks fine.
public struct ChainConfidence: Sendable, Hashable, Codable {
    /// Sampled tokens measured.
    public var tokens: Int
    /// The mean token confidence over the whole chain.
    public var mean: Double
    /// The lowest group confidence: the least confident window of `window` consecutive tokens
    /// (the whole chain when it is shorter).
    public var lowestGroup: Double
    /// The mean confidence of the chain's last `tail` tokens.
    public var tail: Double

    /// Creates a record.
    public init(tokens: Int, mean: Double, lowestGroup: Double, tail: Double) {
        self.tokens = tokens
        self.mean = mean
        self.lowestGroup = lowestGroup
        self.tail = tail
    }

    /// The measures of a chain's token confidences, with groups of `window` tokens and a tail of
    /// `tail` tokens; nil for an empty chain.
    public init?(tokenConfidences values: [Double], window: Int, tail: Int) {
        var meter = ConfidenceMeter(window: window)
        for value in values { meter.append(value) }
        guard let measured = meter.measures(tail: tail, values: values) else { return nil }
        self = measured
    }

    enum CodingKeys: String, CodingKey {
        case tokens = "confidence_tokens"
        case mean = "mean_confidence"
        case lowestGroup = "lowest_group_confidence"
        case tail = "tail_confidence"
    }
}

/// The running measures of one chain as its tokens arrive: the current group confidence (the mean
/// of the last `window` tokens) and the lowest one so far, in O(1) per token. Early termination
/// compares `currentGroup` with a threshold while the chain is decoded.
public struct ConfidenceMeter: Sendable, Hashable {
    /// Tokens per group.
    public let window: Int
    private var ring: [Double]
    private var next = 0
    private var groupSum = 0.0
    private var total = 0.0
    /// Tokens seen.
    public private(set) var count = 0
    /// The lowest confidence of a full group so far (nil before the first full window).
    public private(set) var lowestFullGroup: Double?

    /// A meter with groups of `window` tokens (at least 1).
    public init(window: Int) {
        self.window = max(1, window)
        ring = Array(repeating: 0, count: self.window)
    }

    /// Adds the next token's confidence.
    public mutating func append(_ confidence: Double) {
        let value = confidence.isFinite ? confidence : 0
        if count >= window { groupSum -= ring[next] }
        ring[next] = value
        next = (next + 1) % window
        groupSum += value
        total += value
        count += 1
        if count >= window {
            let group = groupSum / Double(window)
            lowestFullGroup = min(lowestFullGroup ?? group, group)
        }
    }

    /// Whether a full window has been seen.
    public var hasFullGroup: Bool { count >= window }

    /// The mean of the last `window` tokens (of all of them while fewer have come); nil before any.
    public var currentGroup: Double? {
        guard count > 0 else { return nil }
        return groupSum / Double(min(count, window))
    }

    /// The mean over every token so far; nil before any.
    public var mean: Double? { count > 0 ? total / Double(count) : nil }

    /// The chain's measures, its tail being the last `tail` of `values` (the confidences appended).
    func measures(tail: Int, values: [Double]) -> ChainConfidence? {
        guard let mean, let current = currentGroup else { return nil }
        let last = values.suffix(max(1, tail)).map { $0.isFinite ? $0 : 0 }
        return ChainConfidence(tokens: count, mean: mean, lowestGroup: lowestFullGroup ?? current,
                               tail: last.reduce(0, +) / Double(last.count))
    }
}
