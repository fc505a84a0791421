import PonderCore

/// Errors in what a user asked of the reasoning layer; each is one line.
public enum ReasoningError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A setting is out of range.
    case invalidSetting(name: String, value: String, expected: String)
    /// The question is empty.
    case emptyQuestion
    /// The policy file could not be read.
    case unreadablePolicy(path: String)

    public var description: String {
        switch self {
        case let .invalidSetting(name, value, expected): return "invalid \(name) \(value): expected \(expected)"
        case .emptyQuestion: return "the question is empty"
        case .unreadablePolicy(let path): return "cannot read the policy file \(path)"
        }
    }
}

/// How far a chain's answer runs after the answer marker.
public enum AnswerForm: String, Sendable, Hashable, CaseIterable {
    /// The first non-empty line (numbers, letters, short phrases): generation stops at its end.
    case line
    /// Everything to the end of the turn, up to the answer-token limit (code, multi-line text).
    case block
}

/// How to reason about one question, validated at construction.
///
/// ```swift
/// let configuration = try ReasoningConfiguration(effort: .medium, samples: 8, seed: 1)
/// ```
public struct ReasoningConfiguration: Sendable {
    /// Effort asked for.
    public let effort: Effort
    /// Strategy; nil uses the effort's default.
    public let strategy: StrategyKind?
    /// Parallel chains for self-consistency and best-of-n (1...64); nil uses the effort's.
    public let samples: Int?
    /// Reasoning-token budget per chain (>= 1); nil uses the effort's.
    public let maxReasoningTokens: Int?
    /// Token limit of an answer after its reasoning (1...4096).
    public let maxAnswerTokens: Int
    /// Sampling temperature (0...2); nil means 0 for one chain and 0.3 for several (self-consistency
    /// with this small model helped at 0.3 and not at 0.7).
    public let temperature: Double?
    /// Seed; chain i uses seed + i.
    public let seed: UInt32
    /// Plain-text rules the answer must follow (policy check), if any.
    public let policy: String?
    /// A programmatic verifier for best-of-n and check-and-revise; nil uses the model's own judgement.
    public let verifier: (any Verifier)?
    /// Self-consistency also stops once this many chains in a row, from the first, agree
    /// (0 = only when the leader can no longer be overtaken).
    public let agreementWindow: Int
    /// Tools inside the reasoning and when to offer them (none by default; PonderTools has them).
    public let tools: ToolUse
    /// How far an answer runs: one line (default) or a block to the end of the turn.
    public let answerForm: AnswerForm

    /// Creates a validated configuration.
    /// - Throws: `ReasoningError.invalidSetting` naming the value out of range.
    public init(effort: Effort = .medium, strategy: StrategyKind? = nil, samples: Int? = nil,
                maxReasoningTokens: Int? = nil, maxAnswerTokens: Int = 96, temperature: Double? = nil,
                seed: UInt32 = 0, policy: String? = nil, verifier: (any Verifier)? = nil, agreementWindow: Int = 0,
                tools: ToolUse = .none, answerForm: AnswerForm = .line) throws {
        if strategy == .tools, tools.mode == .never || tools.tools.isEmpty {
            throw ReasoningError.invalidSetting(name: "strategy", value: "tools", expected: "at least one tool (tools are off)")
        }
        if let samples, !(1...64).contains(samples) {
            throw ReasoningError.invalidSetting(name: "samples", value: "\(samples)", expected: "an integer in 1...64")
        }
        if let maxReasoningTokens, maxReasoningTokens < 1 {
            throw ReasoningError.invalidSetting(name: "max reasoning tokens", value: "\(maxReasoningTokens)", expected: "an integer >= 1")
        }
        guard (1...4096).contains(maxAnswerTokens) else {
            throw ReasoningError.invalidSetting(name: "max answer tokens", value: "\(maxAnswerTokens)", expected: "an integer in 1...4096")
        }
        if let temperature, !(temperature.isFinite && (0...2).contains(temperature)) {
            throw ReasoningError.invalidSetting(name: "temperature", value: "\(temperature)", expected: "a number in 0...2")
        }
        guard (0...64).contains(agreementWindow) else {
            throw ReasoningError.invalidSetting(name: "agreement window", value: "\(agreementWindow)", expected: "an integer in 0...64")
        }
        self.agreementWindow = agreementWindow
        self.answerForm = answerForm
        self.tools = tools
        self.effort = effort
        self.strategy = strategy
        self.samples = samples
        self.maxReasoningTokens = maxReasoningTokens
        self.maxAnswerTokens = maxAnswerTokens
        self.temperature = temperature
        self.seed = seed
        self.policy = policy
        self.verifier = verifier
    }

    /// The most tokens one question may spend, from the plan the reasoner will follow (`auto`
    /// plans for `high`): chains × (reasoning + answer budgets), check-and-revise's rounds, and a
    /// short judgement per best-of-n chain. Real questions usually stop earlier.
    public var plannedTokens: Int {
        let plan = plan(for: effort == .auto ? .high : effort)
        let chain = plan.reasoningBudget + plan.answerBudget
        switch plan.strategy {
        case .direct: return plan.answerBudget
        case .cot, .tools: return chain
        case .checkAndRevise: return chain * (1 + plan.reviseRounds)
        case .selfConsistency: return chain * plan.samples
        case .bestOfN: return (chain + 8) * plan.samples
        }
    }

    /// The plan for a question once the effort is known (after `auto` resolved).
    func plan(for resolved: Effort) -> ReasoningPlan {
        let budget = resolved.budget
        var strategy = self.strategy ?? resolved.defaultStrategy
        if resolved == .none, self.strategy == nil { strategy = .direct }
        let samples: Int
        switch strategy {
        case .selfConsistency, .bestOfN: samples = self.samples ?? max(budget.samples, 2)
        case .direct, .cot, .checkAndRevise, .tools: samples = 1
        }
        let temperature = self.temperature ?? (samples > 1 ? 0.3 : 0)
        return ReasoningPlan(strategy: strategy, samples: samples,
                             reasoningBudget: maxReasoningTokens ?? max(budget.maxReasoningTokens, 64),
                             answerBudget: maxAnswerTokens, reviseRounds: max(budget.reviseRounds, 1),
                             temperature: temperature)
    }
}

/// The concrete compute for one question.
struct ReasoningPlan: Sendable {
    var strategy: StrategyKind
    /// Tools offered to every chain (decided by `ToolUse.active`).
    var tools: [any ReasoningTool] = []
    var samples: Int
    var reasoningBudget: Int
    var answerBudget: Int
    var reviseRounds: Int
    var temperature: Double
}
