import PonderCore

/// One reasoning chain sampled for a training problem, as the model wrote it.
public struct SampledChain: Sendable, Hashable, Codable {
    /// The conversation the chain answers, exactly as the reasoning core sent it (its system
    /// instructions included) and without any hint.
    public var messages: [ChatMessage]
    /// The assistant's text exactly as generated (reasoning, the answer marker and the answer,
    /// including text the engine forced in), trimmed at the ends.
    public var completion: String
    /// The reasoning before the answer marker.
    public var reasoning: String
    /// The answer after the marker.
    public var answer: String
    /// The normalised final answer, if one was found.
    public var extractedAnswer: String?
    /// Whether the engine had to close the reasoning (budget spent, or the model tried to stop).
    public var budgetForced: Bool
    /// Whether the closing was forced because the model tried to stop (not the budget).
    public var forcedAtEnd: Bool
    /// Parallel sequence index (its sampling seed is the request's seed plus this).
    public var sequence: Int
    /// The request's base seed.
    public var seed: UInt32
    /// Where `completion` holds a tool's results (the engine forced them in), as UTF-8 byte
    /// offsets; nil or empty: no tool answered.
    public var toolResults: [MaskedSpan]?

    /// Creates a chain record.
    public init(messages: [ChatMessage], completion: String, reasoning: String, answer: String, extractedAnswer: String?,
                budgetForced: Bool, forcedAtEnd: Bool, sequence: Int, seed: UInt32, toolResults: [MaskedSpan]? = nil) {
        self.messages = messages
        self.completion = completion
        self.reasoning = reasoning
        self.answer = answer
        self.extractedAnswer = extractedAnswer
        self.budgetForced = budgetForced
        self.forcedAtEnd = forcedAtEnd
        self.sequence = sequence
        self.seed = seed
        self.toolResults = toolResults?.isEmpty == true ? nil : toolResults
    }

    enum CodingKeys: String, CodingKey {
        case messages, completion, reasoning, answer, sequence, seed
        case extractedAnswer = "extracted_answer"
        case budgetForced = "budget_forced"
        case forcedAtEnd = "forced_at_end"
        case toolResults = "tool_results"
    }
}
