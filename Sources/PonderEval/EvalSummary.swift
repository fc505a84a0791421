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
    /// Mean unbiased pass@1 over the chains (`PassAtK`); equals accuracy for single-chain strategies.
    public var passAt1: Double?
    /// Chains per problem (the largest k pass@k can be computed for).
    public var samples: Int
    /// Mean hidden tokens per problem.
    public var meanReasoningTokens: Double
    /// Mean answer tokens per problem.
    public var meanAnswerTokens: Double
    /// Mean wall time per problem, seconds.
    public var meanSeconds: Double
    /// Tokens (reasoning + answer) generated per second of wall time.
    public var tokensPerSecond: Double

    /// Summarises records of one setting.
    public init(setting: EvalSetting, records: [EvalRecord]) {
        let n = max(records.count, 1)
        self.setting = setting
        self.count = records.count
        self.correct = records.filter(\.correct).count
        self.accuracy = Double(correct) / Double(n)
        self.interval = Self.wilson(successes: correct, trials: records.count)
        self.anyChainAccuracy = Double(records.filter(\.anyChainCorrect).count) / Double(n)
        self.passAt1 = PassAtK.mean(records, k: 1)
        self.samples = records.map(\.samplesTotal).min() ?? 0
        self.meanReasoningTokens = Double(records.reduce(0) { $0 + $1.reasoningTokens }) / Double(n)
        self.meanAnswerTokens = Double(records.reduce(0) { $0 + $1.answerTokens }) / Double(n)
        let seconds = records.reduce(0) { $0 + $1.seconds }
        self.meanSeconds = seconds / Double(n)
        self.tokensPerSecond = seconds > 0 ? Double(records.reduce(0) { $0 + $1.totalTokens }) / seconds : 0
    }

    /// Mean tokens per problem, reasoning plus answer: the compute axis.
    public var meanTotalTokens: Double { meanReasoningTokens + meanAnswerTokens }

    /// Wilson score interval at 95%.
    public static func wilson(successes: Int, trials: Int) -> ClosedRange<Double> {
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
