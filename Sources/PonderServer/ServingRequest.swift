import PonderCore
import PonderReasoning
import PonderTools

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
    /// Where the python tool runs (nil: the server does not run code; parsing refused such requests).
    var codeRunner: (any CodeRunner)? = nil

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
            topP: topP, stop: stop, maxTotalTokens: maxTokens)
    }

    /// The tools of the Ponder extension object (see `PonderOptions.tools`).
    func toolUse() throws -> ToolUse {
        let selection = ponder.tools.map { names in
            ToolSelection(names: names.compactMap(ToolSelection.Name.init(rawValue:)), isAutomatic: false)
        } ?? .automatic
        if selection.names.contains(.python), codeRunner == nil { throw PonderOptions.codeExecutionDisabled }
        return try selection.toolUse(codeRunner: codeRunner ?? RefusingCodeRunner())
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

    /// Tools the extension object accepts.
    static let knownTools = ["calculator", "python"]

    /// Parses and validates the object.
    static func parse(_ fields: JSONFields?, limits: ServerConfiguration) throws(APIError) -> PonderOptions {
        guard let fields else { return PonderOptions() }
        let known: Set = ["strategy", "samples", "max_reasoning_tokens", "max_answer_tokens", "agreement_window", "tools", "answer"]
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
                guard knownTools.contains(name) else {
                    throw APIError.invalid("Unknown tool '\(name)' in 'ponder.tools'. Known: \(knownTools.joined(separator: ", ")).",
                                           param: "ponder.tools")
                }
                if name == "python", limits.codeRunner == nil { throw codeExecutionDisabled }
                if options.tools?.contains(name) == false { options.tools?.append(name) }
            }
        }
        return options
    }

    /// The answer to a request naming `python` on a server started without code execution.
    static let codeExecutionDisabled = APIError.invalid(
        "Code execution is disabled on this server: the 'python' tool runs only when the operator starts it with 'ponder serve --allow-code-execution'.",
        param: "ponder.tools", code: "code_execution_disabled")
}

/// Stands in for the code runner where none is allowed; never reached (requests naming python are
/// refused while parsing), and it refuses if it ever were.
struct RefusingCodeRunner: CodeRunner {
    func runPython(_ source: String) async -> CodeRunOutcome {
        CodeRunOutcome(output: "code execution is disabled on this server", isError: true)
    }
}
