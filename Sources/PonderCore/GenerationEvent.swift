/// Why a sequence stopped.
public enum FinishReason: String, Sendable, Hashable, Codable {
    /// The model ended its turn or a stop string was reached.
    case stop
    /// The token limit (or the context) was reached.
    case length
    /// The consumer cancelled the generation.
    case cancelled
}

/// Token counts for one sequence or a whole request.
public struct Usage: Sendable, Hashable, Codable {
    /// Tokens in the prompt (counted once, even when shared by parallel sequences).
    public var promptTokens: Int
    /// Tokens the model sampled.
    public var completionTokens: Int
    /// Tokens forced into the sequence by a steerer (budget forcing, tool results); not sampled.
    public var injectedTokens: Int

    /// Creates a usage record.
    public init(promptTokens: Int = 0, completionTokens: Int = 0, injectedTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.injectedTokens = injectedTokens
    }

    /// Prompt and completion tokens together.
    public var totalTokens: Int { promptTokens + completionTokens }
}

/// A piece of generated text for one sequence, with the tokens that produced it.
public struct TextDelta: Sendable, Hashable {
    /// Which parallel sequence (0-based) this belongs to.
    public var sequence: Int
    /// Newly completed text: always whole UTF-8 characters, never part of a stop string.
    public var text: String
    /// Token ids sampled since the previous delta of this sequence.
    public var tokens: [Int32]
    /// Natural-log probability of each token in `tokens`, when the request asked for them.
    public var logprobs: [Double]?
    /// For each token in `tokens`, the most likely alternatives when the request asked for them.
    public var topLogprobs: [[TokenLogprob]]?
    /// For each token in `tokens`, its confidence when the request asked for it
    /// (`GenerationRequest.confidenceTopK`): higher means the model was surer.
    public var confidences: [Double]?
    /// Why a steerer forced this text in; nil when the model sampled it.
    public var injection: InjectionPurpose?

    /// Whether this text was forced in by a steerer rather than sampled from the model.
    public var isInjected: Bool { injection != nil }

    /// Creates a delta. Forced-in text names its `injection` purpose (`isInjected: true` alone
    /// reports it as `.other`).
    public init(sequence: Int, text: String, tokens: [Int32], logprobs: [Double]? = nil,
                topLogprobs: [[TokenLogprob]]? = nil, isInjected: Bool = false, injection: InjectionPurpose? = nil,
                confidences: [Double]? = nil) {
        self.sequence = sequence
        self.text = text
        self.tokens = tokens
        self.logprobs = logprobs
        self.topLogprobs = topLogprobs
        self.injection = injection ?? (isInjected ? .other : nil)
        self.confidences = confidences
    }
}

/// One candidate token and its log-probability.
public struct TokenLogprob: Sendable, Hashable, Codable {
    /// Token id.
    public var token: Int32
    /// The token's text (may be part of a UTF-8 character, then with U+FFFD).
    public var text: String
    /// Natural-log probability.
    public var logprob: Double

    /// Creates a candidate.
    public init(token: Int32, text: String, logprob: Double) {
        self.token = token
        self.text = text
        self.logprob = logprob
    }
}

/// The end of one sequence.
public struct SequenceFinish: Sendable, Hashable {
    /// Which parallel sequence (0-based) ended.
    public var sequence: Int
    /// Why it ended.
    public var reason: FinishReason
    /// Its token counts (prompt tokens included, counted once per request).
    public var usage: Usage

    /// Creates a finish record.
    public init(sequence: Int, reason: FinishReason, usage: Usage) {
        self.sequence = sequence
        self.reason = reason
        self.usage = usage
    }
}

/// One event of a generation stream. A stream yields text and finish events for each of its
/// sequences, then ends; an error ends it by being thrown from the iterator.
public enum GenerationEvent: Sendable, Hashable {
    /// New text for a sequence.
    case text(TextDelta)
    /// A sequence ended.
    case finished(SequenceFinish)
}
