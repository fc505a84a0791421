import PonderCore
import PonderReasoning

/// What one API request asks for, whichever route it came from (chat completions or responses),
/// after validation.
struct ServingRequest: Sendable {
    /// The conversation; the last user message is the question.
    var messages: [ChatMessage]
    /// Effort asked for.
    var effort: Effort
    /// Cap on reasoning plus answer tokens of each choice, if given.
    var maxTokens: Int?
    /// Sampling temperature (0...2), if given.
    var temperature: Double?
    /// Nucleus sampling (only with effort `none`), if given.
    var topP: Double?
    /// Seed; choice `i` uses `seed + 1000 * i`.
    var seed: UInt32
    /// Stop strings: the answer is cut before the first one.
    var stop: [String]
    /// Number of choices.
    var n: Int
    /// Whether to stream.
    var stream: Bool
    /// Whether a streamed reply ends with a usage chunk.
    var includeUsage: Bool
    /// The Ponder extension object.
    var ponder: PonderOptions
    /// The tools the server offers (parsing refused names it does not allow).
    var toolCatalog: any ToolCatalog = EmptyToolCatalog()
    /// The server's trained verifier (`ponder serve --verifier`), for best-of-n, confident-vote and check-and-revise.
    var trainedVerifier: TrainedVerifier?

    /// The reasoning configuration of choice `index`: OpenAI's fields and the extension object as
    /// the reasoner's settings. `max_completion_tokens` becomes the question's total cap, which the
    /// configuration splits across the planned chains; a direct reply answers in up to 512 tokens
    /// unless told.
    func configuration(choice index: Int) throws -> ReasoningConfiguration {
        let direct = ReasoningConfiguration.answersDirectly(effort: effort, strategy: ponder.strategy)
        return try ReasoningConfiguration(
            effort: effort, strategy: ponder.strategy, samples: ponder.samples, maxReasoningTokens: ponder.maxReasoningTokens,
            maxAnswerTokens: ponder.maxAnswerTokens ?? (direct ? 512 : 96), temperature: temperature,
            seed: seed &+ UInt32(truncatingIfNeeded: 1000 * index),
            agreementWindow: ponder.agreementWindow ?? 0, tools: toolUse(), answerForm: ponder.answerForm ?? .line,
            topP: topP, stop: stop, maxTotalTokens: maxTokens, confidence: ponder.confidence(),
            trainedVerifier: trainedVerifier)
    }

    /// The tools of the Ponder extension object (see `PonderOptions.tools`).
    func toolUse() throws -> ToolUse {
        do {
            return try toolCatalog.toolUse(names: ponder.tools)
        } catch let refusal as ToolRefusal {
            throw APIError.refused(refusal)
        }
    }
}

/// The `"ponder"` extension object: strategy and thinking budget beyond what OpenAI's fields say.
struct PonderOptions: Sendable, Hashable {
    /// Strategy; nil uses the effort's default.
    var strategy: StrategyKind?
    /// Parallel chains for self-consistency and best-of-n.
    var samples: Int?
    /// Reasoning tokens per chain.
    var maxReasoningTokens: Int?
    /// Answer tokens per chain.
    var maxAnswerTokens: Int?
    /// Self-consistency's agreement window.
    var agreementWindow: Int?
    /// Tool names (`calculator`, `python`), always on; nil (absent) means the automatic default
    /// (the calculator at effort medium and above for questions with numbers); `[]` means none.
    var tools: [String]?
    /// How far an answer runs: `line` (the first line after the marker) or `block` (to the end of the turn).
    var answerForm: AnswerForm?
    /// confident-vote: the share of chains kept, most confident first.
    var keepFraction: Double?
    /// confident-vote: stop weak chains, and the vote at consensus.
    var earlyStop: Bool?

    /// The confidence settings of the object.
    func confidence() throws -> ConfidenceSettings {
        guard keepFraction != nil || earlyStop != nil else { return .standard }
        return try ConfidenceSettings(keepFraction: keepFraction ?? 0.9, earlyStop: earlyStop ?? false)
    }

    /// Parses and validates the object.
    static func parse(_ fields: JSONFields?, limits: ServerConfiguration) throws(APIError) -> PonderOptions {
        guard let fields else { return PonderOptions() }
        let known: Set = ["strategy", "samples", "max_reasoning_tokens", "max_answer_tokens", "agreement_window", "tools", "answer",
                          "keep_fraction", "early_stop"]
        if let unknown = fields.object.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.invalid("Unknown parameter: 'ponder.\(unknown)'. Known: \(known.sorted().joined(separator: ", ")).",
                                   param: "ponder.\(unknown)", code: "unknown_parameter")
        }
        var options = PonderOptions()
        if let name = try fields.string("strategy") {
            guard let strategy = StrategyKind(rawValue: name) else {
                throw APIError.invalid("Invalid 'ponder.strategy': '\(name)'. Expected one of: \(StrategyKind.allCases.map(\.rawValue).joined(separator: ", ")).",
                                       param: "ponder.strategy")
            }
            options.strategy = strategy
        }
        options.samples = try fields.integer("samples", in: 1...64)
        options.maxReasoningTokens = try fields.integer("max_reasoning_tokens", in: 1...limits.maxTokensPerRequest)
        options.maxAnswerTokens = try fields.integer("max_answer_tokens", in: 1...min(4096, limits.maxTokensPerRequest))
        options.agreementWindow = try fields.integer("agreement_window", in: 0...64)
        if let fraction = try fields.number("keep_fraction", in: 0...1) {
            guard fraction > 0 else {
                throw APIError.invalid("Invalid 'ponder.keep_fraction': 0. Expected a number in (0, 1].", param: "ponder.keep_fraction")
            }
            options.keepFraction = fraction
        }
        options.earlyStop = try fields.bool("early_stop")
        if let name = try fields.string("answer") {
            guard let form = AnswerForm(rawValue: name) else {
                throw APIError.invalid("Invalid 'ponder.answer': '\(name)'. Expected one of: line, block.", param: "ponder.answer")
            }
            options.answerForm = form
        }
        if let tools = try fields.array("tools") {
            options.tools = []
            for tool in tools {
                guard case .string(let name) = tool else { throw fields.wrongType("tools", tool, "an array of tool names") }
                do throws(ToolRefusal) { try limits.toolCatalog.check(name) } catch { throw APIError.refused(error) }
                if options.tools?.contains(name) == false { options.tools?.append(name) }
            }
        }
        return options
    }
}
