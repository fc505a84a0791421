import PonderCore

/// One way to spend test-time compute on a question: runs chains through a `ReasoningRun` and
/// settles on an answer. One type per strategy, chosen by `StrategyKind.strategy`.
protocol ReasoningStrategy: Sendable {
    /// Solves the run's question with the run's plan.
    func solve(_ run: ReasoningRun) async throws -> Outcome
}

extension StrategyKind {
    /// The strategy type that implements this kind.
    var strategy: any ReasoningStrategy {
        switch self {
        case .direct: return DirectStrategy()
        case .cot, .selfConsistency, .tools: return VoteStrategy()
        case .bestOfN: return BestOfNStrategy()
        case .checkAndRevise: return CheckAndReviseStrategy()
        case .confidentVote: return ConfidentVoteStrategy()
        }
    }
}

/// What a strategy settled on.
struct Outcome: Sendable {
    var answer: String
    var extracted: String?
    var chains: [ReasoningChain]
    var votes: [String: Int]
    /// Why the answer ended, when the strategy knows it (a direct reply); otherwise it is read from
    /// the chains that gave the answer.
    var finishReason: ReasoningFinishReason? = nil
    /// The effort `auto` resolved to, when the strategy decided it (`AutoStrategy`).
    var resolvedEffort: Effort? = nil
    /// Why `auto` spent what it spent (`AutoStrategy`).
    var auto: AutoDecision? = nil

    /// Nothing to answer with.
    static let empty = Outcome(answer: "", extracted: nil, chains: [], votes: [:])
}
