import PonderCore

/// One titled step shown to the user while the model thinks (like o1's summaries): a gerund
/// title and one sentence.
public struct ReasoningSummary: Sendable, Hashable, Codable {
    /// Short gerund title, e.g. "Checking agreement".
    public var title: String
    /// One sentence saying what happened.
    public var text: String
    /// Seconds since the question was asked.
    public var seconds: Double

    /// Creates a summary.
    public init(title: String, text: String, seconds: Double) {
        self.title = title
        self.text = text
        self.seconds = seconds
    }
}

/// One reasoning chain as it ended.
public struct ReasoningChain: Sendable, Hashable, Codable {
    /// The hidden reasoning.
    public var reasoning: String
    /// The answer text after the reasoning.
    public var answer: String
    /// The normalised final answer, when one could be extracted.
    public var extractedAnswer: String?
    /// Sampled tokens spent reasoning.
    public var reasoningTokens: Int
    /// Sampled tokens spent answering.
    public var answerTokens: Int
    /// Whether the engine closed the reasoning: the budget ran out, or the model tried to end
    /// without an answer line.
    public var budgetForced: Bool
    /// Whether the closing was forced because the model tried to end (not by the budget).
    public var forcedAtEnd: Bool
    /// Verifier score in 0...1, where a verifier ran.
    public var score: Double?
    /// Tool calls the chain made, in order (their results are part of `reasoning`).
    public var toolCalls: [ToolCall] = []
    /// Tokens the tools forced into the chain (not sampled, not counted in `reasoningTokens`).
    public var toolTokens = 0
    /// Why the chain ended: `stop` (its answer was complete) or `length` (the answer ran to its
    /// token limit). Nil in traces stored before this field existed.
    public var finishReason: FinishReason? = nil
    /// DeepConf's confidence measures, where the backend reported token confidences.
    public var confidence: ChainConfidence? = nil
    /// True when the chain was stopped because its running group confidence fell below the
    /// threshold (it does not vote); nil otherwise.
    public var stoppedLowConfidence: Bool? = nil

    /// Creates a record (the reasoner makes these; tests and tools may too).
    public init(reasoning: String, answer: String, extractedAnswer: String?, reasoningTokens: Int, answerTokens: Int,
                budgetForced: Bool, forcedAtEnd: Bool, score: Double? = nil, toolCalls: [ToolCall] = [], toolTokens: Int = 0,
                finishReason: FinishReason? = nil, confidence: ChainConfidence? = nil, stoppedLowConfidence: Bool? = nil) {
        self.reasoning = reasoning
        self.answer = answer
        self.extractedAnswer = extractedAnswer
        self.reasoningTokens = reasoningTokens
        self.answerTokens = answerTokens
        self.budgetForced = budgetForced
        self.forcedAtEnd = forcedAtEnd
        self.score = score
        self.toolCalls = toolCalls
        self.toolTokens = toolTokens
        self.finishReason = finishReason
        self.confidence = confidence
        self.stoppedLowConfidence = stoppedLowConfidence
    }

    enum CodingKeys: String, CodingKey {
        case reasoning, answer, score, confidence
        case stoppedLowConfidence = "stopped_low_confidence"
        case finishReason = "finish_reason"
        case toolCalls = "tool_calls"
        case toolTokens = "tool_tokens"
        case extractedAnswer = "extracted_answer"
        case reasoningTokens = "reasoning_tokens"
        case answerTokens = "answer_tokens"
        case budgetForced = "budget_forced"
        case forcedAtEnd = "forced_at_end"
    }
}

/// Token counts of a whole reasoning run.
public struct ReasoningUsage: Sendable, Hashable, Codable {
    /// Hidden tokens: reasoning in every chain, plus verifier and assessment calls.
    public var reasoningTokens = 0
    /// Tokens of the answers.
    public var answerTokens = 0
    /// Tokens tools forced into the chains (calculator results, program output).
    public var toolTokens = 0
    /// Prompt tokens of the run's first generation: the conversation as the model saw it. Nil in
    /// traces stored before this field existed.
    public var promptTokens: Int? = nil

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case reasoningTokens = "reasoning_tokens"
        case answerTokens = "answer_tokens"
        case toolTokens = "tool_tokens"
    }
}

/// The machine-readable record of one answered question (`ponder ask --json`).
public struct ReasoningTrace: Sendable, Hashable, Codable {
    /// The answer shown to the user.
    public var answer: String
    /// The normalised final answer, or nil when none could be extracted.
    public var extractedAnswer: String?
    /// The titled steps, in order.
    public var summaries: [ReasoningSummary]
    /// Strategy that ran.
    public var strategy: StrategyKind
    /// Effort asked for.
    public var effort: Effort
    /// Effort used after `auto` resolved it (equal to `effort` otherwise).
    public var resolvedEffort: Effort
    /// Every chain with its answer, votes or verifier score.
    public var samples: [ReasoningChain]
    /// Votes per normalised answer, where a vote was taken.
    public var votes: [String: Int]
    /// Token counts.
    public var usage: ReasoningUsage
    /// Wall time.
    public var elapsedSeconds: Double
    /// The prompt file that started the chains (`instruct@1`), nil when no chain ran.
    public var prompt: String? = nil
    /// Why the answer ended (OpenAI's `finish_reason`). Nil in traces stored before this field existed.
    public var finishReason: ReasoningFinishReason? = nil
    /// Why effort `auto` spent what it spent (its rule, the first chains' agreement and
    /// confidence, the chains run after them); nil for other efforts.
    public var auto: AutoDecision? = nil

    enum CodingKeys: String, CodingKey {
        case answer, summaries, strategy, effort, samples, votes, usage, prompt, auto
        case finishReason = "finish_reason"
        case extractedAnswer = "extracted_answer"
        case resolvedEffort = "resolved_effort"
        case elapsedSeconds = "elapsed_seconds"
    }
}

/// Why a reasoning run's answer ended, as OpenAI's `finish_reason` says it.
public enum ReasoningFinishReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The answer is complete.
    case stop
    /// The answer ran to its token limit.
    case length
    /// The policy check refused the answer.
    case contentFilter = "content_filter"
    /// The run was cancelled.
    case cancelled
}

/// What a reasoning run reports while it works.
public enum ReasoningEvent: Sendable {
    /// The model began its first generation: the prompt fit and the first output arrived (or the
    /// first generation finished). Comes once, before any other output of the model.
    case started
    /// Token counts of one finished model sequence (a chain, a quick answer, a judgement), as it
    /// finishes: for live metering.
    case usage(Usage)
    /// A titled step.
    case summary(ReasoningSummary)
    /// Raw reasoning text of the first chain (hidden unless the user asks to see it).
    case reasoning(String)
    /// Text a tool forced into the first chain's reasoning (a calculator result, program output),
    /// in order with `reasoning` text; shown distinctly.
    case toolOutput(String)
    /// Answer text. A direct reply, and a single chain with nothing to check afterwards (cot,
    /// tools), stream their answer as it is written; otherwise the answer comes once it is final
    /// (after the vote, verifier or policy check). The deltas of a run concatenate to the trace's
    /// `answer`, cut before any stop string. Comes before `done`.
    case answer(String)
    /// The finished run.
    case done(ReasoningTrace)
}
