import Foundation
import PonderCore
import PonderReasoning

/// One (strategy, effort) setting to evaluate.
public struct EvalSetting: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Strategy to run.
    public var strategy: StrategyKind
    /// Effort to run it at.
    public var effort: Effort

    /// Creates a setting.
    public init(strategy: StrategyKind, effort: Effort) {
        self.strategy = strategy
        self.effort = effort
    }

    public var description: String { "\(strategy.rawValue)@\(effort.rawValue)" }
}

/// The graded result of one problem under one setting.
public struct EvalRecord: Sendable, Hashable, Codable {
    /// Problem id.
    public var problemID: String
    /// The setting.
    public var setting: EvalSetting
    /// Normalised answer the run settled on, if any.
    public var extractedAnswer: String?
    /// Reference answer.
    public var expected: String
    /// Whether the answer was graded correct.
    public var correct: Bool
    /// Whether any chain reached the reference (pass@k over the samples), where chains exist.
    public var anyChainCorrect: Bool
    /// Hidden tokens spent.
    public var reasoningTokens: Int
    /// Answer tokens spent.
    public var answerTokens: Int
    /// Wall time in seconds.
    public var seconds: Double
}

/// Accuracy and cost of one setting over a problem set.
public struct EvalSummary: Sendable, Hashable, Codable {
    /// The setting.
    public var setting: EvalSetting
    /// Problems graded.
    public var count: Int
    /// Problems answered correctly.
    public var correct: Int
    /// Fraction correct.
    public var accuracy: Double
    /// Wilson 95% interval of the accuracy.
    public var interval: ClosedRange<Double>
    /// Fraction of problems where at least one chain was correct (pass@k, k = chains run).
    public var anyChainAccuracy: Double
    /// Mean hidden tokens per problem.
    public var meanReasoningTokens: Double
    /// Mean answer tokens per problem.
    public var meanAnswerTokens: Double
    /// Mean wall time per problem, seconds.
    public var meanSeconds: Double

    /// Summarises records of one setting.
    public init(setting: EvalSetting, records: [EvalRecord]) {
        let n = max(records.count, 1)
        self.setting = setting
        self.count = records.count
        self.correct = records.filter(\.correct).count
        self.accuracy = Double(correct) / Double(n)
        self.interval = Self.wilson(successes: correct, trials: records.count)
        self.anyChainAccuracy = Double(records.filter(\.anyChainCorrect).count) / Double(n)
        self.meanReasoningTokens = Double(records.reduce(0) { $0 + $1.reasoningTokens }) / Double(n)
        self.meanAnswerTokens = Double(records.reduce(0) { $0 + $1.answerTokens }) / Double(n)
        self.meanSeconds = records.reduce(0) { $0 + $1.seconds } / Double(n)
    }

    /// Wilson score interval at 95%.
    static func wilson(successes: Int, trials: Int) -> ClosedRange<Double> {
        guard trials > 0 else { return 0...1 }
        let z = 1.959964
        let n = Double(trials)
        let p = Double(successes) / n
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let half = z * ((p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()) / denominator
        return max(0, centre - half)...min(1, centre + half)
    }
}

/// Runs problems through a `Reasoner` under each setting and grades them with the answer library.
public struct EvalRunner: Sendable {
    /// The reasoner (and through it the model) under test.
    public let reasoner: Reasoner
    /// Chains for self-consistency and best-of-n; nil uses the effort's.
    public let samples: Int?
    /// Reasoning-token budget per chain; nil uses the effort's.
    public let maxReasoningTokens: Int?
    /// Base seed; problem i uses seed + i.
    public let seed: UInt32

    /// Creates a runner.
    public init(reasoner: Reasoner, samples: Int? = nil, maxReasoningTokens: Int? = nil, seed: UInt32 = 0) {
        self.reasoner = reasoner
        self.samples = samples
        self.maxReasoningTokens = maxReasoningTokens
        self.seed = seed
    }

    /// Evaluates one problem under one setting.
    public func run(_ problem: EvalProblem, index: Int, setting: EvalSetting) async throws -> EvalRecord {
        let configuration = try ReasoningConfiguration(effort: setting.effort, strategy: setting.strategy, samples: samples,
                                                       maxReasoningTokens: maxReasoningTokens, seed: seed &+ UInt32(index))
        let started = Date()
        let trace = try await reasoner.answer(problem.question, configuration: configuration)
        let seconds = Date().timeIntervalSince(started)
        let kind = problem.kind.answerKind ?? .text
        let equivalence = AnswerEquivalence.standard
        func grade(_ candidate: String?) -> Bool {
            guard let candidate else { return false }
            return equivalence.equivalent(candidate, problem.expected, kind: kind, question: problem.question)
        }
        let correct = grade(trace.extractedAnswer ?? trace.answer)
        let anyChain = trace.samples.isEmpty ? correct : trace.samples.contains { grade($0.extractedAnswer) }
        return EvalRecord(problemID: problem.id, setting: setting, extractedAnswer: trace.extractedAnswer, expected: problem.expected,
                          correct: correct, anyChainCorrect: anyChain, reasoningTokens: trace.usage.reasoningTokens,
                          answerTokens: trace.usage.answerTokens, seconds: seconds)
    }
}
