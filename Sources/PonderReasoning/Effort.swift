/// How much thinking to spend on a question, as in OpenAI's `reasoning_effort`.
public enum Effort: String, Sendable, Hashable, Codable, CaseIterable {
    /// No reasoning: answer directly.
    case none
    /// One short chain.
    case low
    /// A few chains voted on.
    case medium
    /// More and longer chains voted on, and a check of the result.
    case high
    /// Run the first chains of high as the assessment; more run only when they disagree (`AutoRule`).
    case auto

    /// The budget this effort spends. `auto` has none of its own: it resolves to another level first.
    public var budget: ReasoningBudget {
        switch self {
        case .none: return ReasoningBudget(maxReasoningTokens: 0, samples: 1, reviseRounds: 0)
        case .low: return ReasoningBudget(maxReasoningTokens: 192, samples: 1, reviseRounds: 0)
        case .medium: return ReasoningBudget(maxReasoningTokens: 256, samples: 4, reviseRounds: 1)
        case .high, .auto: return ReasoningBudget(maxReasoningTokens: 384, samples: 8, reviseRounds: 2)
        }
    }

    /// The strategy used when none is named.
    public var defaultStrategy: StrategyKind {
        switch self {
        case .none: return .direct
        case .low: return .cot
        case .medium, .high, .auto: return .selfConsistency
        }
    }
}

/// Test-time compute for one question.
public struct ReasoningBudget: Sendable, Hashable, Codable {
    /// Most reasoning tokens per chain; the engine closes the thinking when it is reached.
    public var maxReasoningTokens: Int
    /// Parallel chains (self-consistency, best-of-n).
    public var samples: Int
    /// Check-and-revise rounds.
    public var reviseRounds: Int
}

/// The test-time strategies Ponder offers.
public enum StrategyKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// No reasoning, the baseline.
    case direct
    /// One reasoning chain, then the answer.
    case cot
    /// N chains in one parallel batch, answers normalised and majority-voted (Wang et al. 2022).
    case selfConsistency = "self-consistency"
    /// N chains scored by a verifier; the best one answers (Cobbe et al. 2021).
    case bestOfN = "best-of-n"
    /// Answer, check, revise while the check fails.
    case checkAndRevise = "check-and-revise"
    /// One chain with tools inside the reasoning (the calculator, the python tool).
    case tools
    /// N chains voted on with weights from the model's own token confidence, keeping the most
    /// confident share, optionally stopping weak chains and the vote early (DeepConf, Fu et al. 2025).
    case confidentVote = "confident-vote"
}
