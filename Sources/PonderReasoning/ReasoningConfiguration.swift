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
    public private(set) var maxReasoningTokens: Int?
    /// Token limit of an answer after its reasoning (1...4096).
    public private(set) var maxAnswerTokens: Int
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
    /// Nucleus sampling for a direct reply (0...1); nil means 1. Reasoning chains do not use it.
    public let topP: Double?
    /// Stop strings: the answer is cut before the first one (none by default).
    public let stop: [String]
    /// How chain confidence is measured (every reasoning chain) and used (`confident-vote`).
    public let confidence: ConfidenceSettings
    /// A verifier fitted on this model's own chains (`ponder train verifier`), if any: best-of-n and
    /// check-and-revise score with it instead of the model's P("Yes"), and confident-vote keeps and
    /// weights chains by it (and takes its calibrated stopping threshold).
    public private(set) var trainedVerifier: TrainedVerifier?
    /// A cap on all reasoning and answer tokens of the question (OpenAI's `max_completion_tokens`),
    /// if any. The reasoning and answer budgets are split from it (`ReasoningPlan`).
    public let maxTotalTokens: Int?

    /// Creates a validated configuration.
    /// - Throws: `ReasoningError.invalidSetting` naming the value out of range.
    public init(effort: Effort = .medium, strategy: StrategyKind? = nil, samples: Int? = nil,
                maxReasoningTokens: Int? = nil, maxAnswerTokens: Int = 96, temperature: Double? = nil,
                seed: UInt32 = 0, policy: String? = nil, verifier: (any Verifier)? = nil, agreementWindow: Int = 0,
                tools: ToolUse = .none, answerForm: AnswerForm = .line,
                topP: Double? = nil, stop: [String] = [], maxTotalTokens: Int? = nil,
                confidence: ConfidenceSettings = .standard, trainedVerifier: TrainedVerifier? = nil) throws {
        if verifier != nil, trainedVerifier != nil {
            throw Self.twoVerifiers
        }
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
        if let topP, !(topP.isFinite && (0...1).contains(topP)) {
            throw ReasoningError.invalidSetting(name: "top_p", value: "\(topP)", expected: "a number in 0...1")
        }
        if stop.contains(where: \.isEmpty) {
            throw ReasoningError.invalidSetting(name: "stop", value: "\"\"", expected: "non-empty stop strings")
        }
        if let maxTotalTokens, maxTotalTokens < 1 {
            throw ReasoningError.invalidSetting(name: "max total tokens", value: "\(maxTotalTokens)", expected: "an integer >= 1")
        }
        self.agreementWindow = agreementWindow
        self.answerForm = answerForm
        self.tools = tools
        self.effort = effort
        self.strategy = strategy
        self.samples = samples
        self.maxReasoningTokens = maxReasoningTokens
        self.maxAnswerTokens = maxAnswerTokens
        self.topP = topP
        self.stop = stop
        self.confidence = confidence
        self.maxTotalTokens = maxTotalTokens
        self.temperature = temperature
        self.seed = seed
        self.policy = policy
        self.verifier = verifier
        self.trainedVerifier = trainedVerifier
        if let maxTotalTokens, !Self.answersDirectly(effort: effort, strategy: strategy) {
            // The cap is split once, against the planned chains (`auto` plans for high), and the
            // per-chain budgets then hold whatever `auto` resolves to.
            let planned = plan
            let split = Self.split(total: maxTotalTokens, chains: planned.chains,
                                   reasoningBudget: planned.reasoningBudget, answerBudget: planned.answerBudget)
            self.maxReasoningTokens = split.reasoning
            self.maxAnswerTokens = split.answer
        }
    }

    /// The refusal of a programmatic and a trained verifier together (one place for both paths).
    static let twoVerifiers = ReasoningError.invalidSetting(
        name: "verifier", value: "two verifiers", expected: "a programmatic verifier or a trained one, not both")

    /// This configuration with a trained verifier.
    /// - Throws: `ReasoningError.invalidSetting` when it already has a programmatic verifier.
    public func scoring(with trainedVerifier: TrainedVerifier) throws -> ReasoningConfiguration {
        if verifier != nil {
            throw Self.twoVerifiers
        }
        var copy = self
        copy.trainedVerifier = trainedVerifier
        return copy
    }
}
