/// The graded result of one problem under one setting: one row of the store.
public struct EvalRecord: Sendable, Hashable, Codable {
    /// Problem id.
    public var problemID: String
    /// The setting.
    public var setting: EvalSetting
    /// A stable hash of the exact question text (`PromptHash`), so runs over edited datasets are not mixed up.
    public var promptHash: String
    /// The sampling seed this problem ran with.
    public var seed: UInt32
    /// Normalised answer the run settled on, if any (for code: the extracted program).
    public var extractedAnswer: String?
    /// Reference answer (empty for code).
    public var expected: String
    /// Whether the answer was graded correct.
    public var correct: Bool
    /// Whether any chain reached the reference (pass@k over the samples), where chains exist.
    public var anyChainCorrect: Bool
    /// Chains graded correct, for the unbiased pass@k estimator (`PassAtK`).
    public var samplesCorrect: Int
    /// Chains graded (1 for single-chain strategies).
    public var samplesTotal: Int
    /// Hidden tokens spent.
    public var reasoningTokens: Int
    /// Answer tokens spent.
    public var answerTokens: Int
    /// Wall time in seconds.
    public var seconds: Double
    /// The full reasoning trace as JSON (`ReasoningTrace`), when kept.
    public var traceJSON: String?
    /// The template the problem was drawn from (``EvalProblem/template``), when it has one, so
    /// results can be grouped by template.
    public var template: String?

    /// Creates a record.
    public init(problemID: String, setting: EvalSetting, promptHash: String = "", seed: UInt32 = 0, extractedAnswer: String?,
                expected: String, correct: Bool, anyChainCorrect: Bool, samplesCorrect: Int? = nil, samplesTotal: Int = 1,
                reasoningTokens: Int, answerTokens: Int, seconds: Double, traceJSON: String? = nil, template: String? = nil) {
        self.problemID = problemID
        self.setting = setting
        self.promptHash = promptHash
        self.seed = seed
        self.extractedAnswer = extractedAnswer
        self.expected = expected
        self.correct = correct
        self.anyChainCorrect = anyChainCorrect
        self.samplesCorrect = samplesCorrect ?? (correct ? samplesTotal : 0)
        self.samplesTotal = samplesTotal
        self.reasoningTokens = reasoningTokens
        self.answerTokens = answerTokens
        self.seconds = seconds
        self.traceJSON = traceJSON
        self.template = template
    }

    /// Reasoning plus answer tokens: the compute axis of the chart.
    public var totalTokens: Int { reasoningTokens + answerTokens }
}
