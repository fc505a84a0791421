import PonderCore

/// The concrete compute for one question: the one place that turns a configuration and an effort
/// into strategy, chains and budgets. The reasoner follows it; the server, eval, training and the
/// ETA read it (`ReasoningConfiguration.plan`) and never recompute it.
///
/// ```swift
/// let plan = try ReasoningConfiguration(effort: .medium).plan
/// print(plan.strategy, plan.chains, plan.reasoningBudget, plan.plannedTokens)
/// ```
public struct ReasoningPlan: Sendable {
    /// The strategy that runs.
    public var strategy: StrategyKind
    /// Chains per question (1 except for self-consistency and best-of-n).
    public var chains: Int
    /// Reasoning-token budget of each chain.
    public var reasoningBudget: Int
    /// Token limit of each answer (of the reply itself when direct).
    public var answerBudget: Int
    /// Check-and-revise rounds.
    public var reviseRounds: Int
    /// Sampling temperature of the chains.
    public var temperature: Double
    /// Nucleus sampling; only a direct reply samples with it (1 otherwise).
    public var topP: Double
    /// Stop strings: the answer is cut before the first one (the engine stops a direct reply there).
    public var stop: [String]
    /// The cap on reasoning plus answer tokens of the whole question, when one was given; the
    /// budgets above are already split from it.
    public var maxTotalTokens: Int?
    /// Tools offered to every chain (decided per question by `ToolUse.active`; empty in the plan a
    /// configuration reports before a question is known).
    public var tools: [any ReasoningTool] = []

    /// Whether the model answers at once, with no hidden reasoning.
    public var isDirect: Bool { strategy == .direct }

    /// Reasoning plus answer tokens of one chain.
    public var tokensPerChain: Int { reasoningBudget + answerBudget }

    /// The most tokens the question may spend: chains × (reasoning + answer budgets),
    /// check-and-revise's rounds, and a short judgement per best-of-n chain. Real questions
    /// usually stop earlier.
    public var plannedTokens: Int {
        switch strategy {
        case .direct: return answerBudget
        case .cot, .tools: return tokensPerChain
        case .checkAndRevise: return tokensPerChain * (1 + reviseRounds)
        case .selfConsistency, .confidentVote: return tokensPerChain * chains
        case .bestOfN: return (tokensPerChain + 8) * chains
        }
    }
}

extension ReasoningConfiguration {
    /// The plan the reasoner will follow, as far as it is known before the question is seen:
    /// `auto` plans for `high` (the most it may resolve to).
    public var plan: ReasoningPlan { plan(for: effort) }

    /// The most tokens one question may spend (`plan.plannedTokens`).
    public var plannedTokens: Int { plan.plannedTokens }

    /// Whether an effort and strategy answer directly, without reasoning (effort `none` with no
    /// strategy named, or the `direct` strategy).
    public static func answersDirectly(effort: Effort, strategy: StrategyKind?) -> Bool {
        strategy == .direct || (strategy == nil && effort == .none)
    }

    /// The plan once the effort is known (`auto` plans for `high` until it resolves).
    func plan(for effort: Effort) -> ReasoningPlan {
        let resolved = effort == .auto ? Effort.high : effort
        let strategy = self.strategy ?? (resolved == .none ? .direct : resolved.defaultStrategy)
        let chains: Int
        switch strategy {
        case .selfConsistency, .bestOfN, .confidentVote: chains = samples ?? max(resolved.budget.samples, 2)
        case .direct, .cot, .checkAndRevise, .tools: chains = 1
        }
        return ReasoningPlan(
            strategy: strategy, chains: chains,
            reasoningBudget: maxReasoningTokens ?? max(resolved.budget.maxReasoningTokens, 64),
            answerBudget: strategy == .direct ? (maxTotalTokens ?? maxAnswerTokens) : maxAnswerTokens,
            reviseRounds: max(resolved.budget.reviseRounds, 1),
            temperature: temperature ?? (chains > 1 ? 0.3 : 0), topP: strategy == .direct ? (topP ?? 1) : 1,
            stop: stop, maxTotalTokens: maxTotalTokens)
    }

    /// Splits a cap on the whole question's reasoning and answer tokens across the planned chains,
    /// as OpenAI's `max_completion_tokens` covers every hidden and visible token: each chain gets
    /// an even share, a third of it (at most the answer limit) for the answer, the rest (at most
    /// the effort's budget) for reasoning.
    static func split(total: Int, chains: Int, reasoningBudget: Int, answerBudget: Int) -> (reasoning: Int, answer: Int) {
        let perChain = max(2, total / max(chains, 1))
        let answer = min(answerBudget, max(1, perChain / 3))
        return (min(reasoningBudget, max(1, perChain - answer)), answer)
    }
}
