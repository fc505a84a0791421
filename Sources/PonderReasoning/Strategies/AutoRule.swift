import PonderCore

/// When effort `auto` stops after its first chains: a rule fitted on generated problems
/// (`ponder train verifier` fits one and stores it in the verifier file; `standard` is the one
/// fitted for the embedded model, docs/REASONING.md). The first `quickChains` chains run at
/// `high`'s budget; when their leading answer has at least `minimumAgreement` votes and, if set,
/// its chains' mean lowest group confidence is at least `minimumConfidence`, they answer (effort
/// resolves to medium); otherwise the rest of `high`'s chains run and all of them vote.
public struct AutoRule: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Chains run first (1...64).
    public var quickChains: Int
    /// Votes the leading answer needs among them to stop (more than `quickChains`: never stop).
    public var minimumAgreement: Int
    /// The leader's chains' mean lowest group confidence needed to stop, if any.
    public var minimumConfidence: Double?

    /// Creates a rule.
    public init(quickChains: Int, minimumAgreement: Int, minimumConfidence: Double? = nil) {
        self.quickChains = quickChains
        self.minimumAgreement = minimumAgreement
        self.minimumConfidence = minimumConfidence
    }

    /// Stop when 3 of 4 quick chains agree (fitted on the embedded model's chains; docs/REASONING.md).
    public static let standard = AutoRule(quickChains: 4, minimumAgreement: 3)

    /// Whether quick chains whose leader has `votes` votes and mean lowest group confidence
    /// `confidence` (nil when unmeasured) answer on their own.
    public func stops(votes: Int, confidence: Double?) -> Bool {
        guard votes >= minimumAgreement else { return false }
        guard let minimumConfidence else { return true }
        return (confidence ?? -.infinity) >= minimumConfidence
    }

    /// Whether the values are usable.
    public var isValid: Bool {
        (1...64).contains(quickChains) && (1...65).contains(minimumAgreement) && (minimumConfidence?.isFinite ?? true)
    }

    public var description: String {
        "stop after \(quickChains) chains when \(minimumAgreement) agree" + (minimumConfidence.map { " with confidence ≥ \(String(format: "%.2f", $0))" } ?? "")
    }

    enum CodingKeys: String, CodingKey {
        case quickChains = "quick_chains", minimumAgreement = "minimum_agreement", minimumConfidence = "minimum_confidence"
    }
}

/// Why effort `auto` spent what it spent on a question (the trace's `auto`).
public struct AutoDecision: Sendable, Hashable, Codable {
    /// The rule applied.
    public var rule: AutoRule
    /// Votes of the quick chains' leading answer.
    public var agreement: Int
    /// The leader's chains' mean lowest group confidence, when measured.
    public var confidence: Double?
    /// Chains run after the quick ones (0 when they answered).
    public var moreChains: Int

    /// Creates a record.
    public init(rule: AutoRule, agreement: Int, confidence: Double?, moreChains: Int) {
        self.rule = rule
        self.agreement = agreement
        self.confidence = confidence
        self.moreChains = moreChains
    }

    enum CodingKeys: String, CodingKey {
        case rule, agreement, confidence
        case moreChains = "more_chains"
    }

    /// The quick chains' leader and its votes, and its chains' mean lowest group confidence.
    public static func leader(of chains: [ReasoningChain]) -> (answer: String?, votes: Int, confidence: Double?) {
        var vote = MajorityVote(total: chains.count)
        for chain in chains { vote.record(chain.extractedAnswer) }
        guard let leader = vote.leader else { return (nil, 0, nil) }
        let lows = chains.filter { $0.extractedAnswer == leader.answer }.compactMap { $0.confidence?.lowestGroup }
        return (leader.answer, leader.votes, lows.isEmpty ? nil : lows.reduce(0, +) / Double(lows.count))
    }
}
