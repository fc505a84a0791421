import PonderCore

/// A tool the model uses inside its hidden reasoning: an exact calculator, a code runner.
/// Ponder watches each chain as it is generated and, when the chain calls the tool (writes an
/// expression followed by `=`, closes a fenced code block...), forces the tool's result into that
/// chain, so the model reasons on with numbers it could not compute itself (as the GSM8K paper's
/// calculator did, Cobbe et al. 2021). Implementations live in the PonderTools module.
public protocol ReasoningTool: Sendable {
    /// Short name used in flags, APIs and traces: `calculator`, `python`.
    var name: String { get }
    /// One or two sentences added to the reasoning instructions, telling the model how to call it.
    var invitation: String { get }
    /// A fresh session for one chain (sessions keep that chain's state).
    func makeSession() -> any ToolSession

    /// The titled summary shown when the first chain makes `call`.
    func summary(of call: ToolCall) -> (title: String, text: String)
}

extension ReasoningTool {
    /// "Using calculator" with the input and result.
    public func summary(of call: ToolCall) -> (title: String, text: String) {
        ("Using \(call.tool)", call.isError ? "\(call.input) failed: \(call.result)." : "\(call.input) gave \(call.result).")
    }
}

/// One chain's use of a tool. Called on the engine's decode thread after every token, so it must
/// be quick: slow work (running code) is returned as `.deferred` and runs off that thread.
public protocol ToolSession: AnyObject {
    /// Sees the chain's whole text so far (`inAnswer` once the final answer has begun) and returns
    /// the call the chain just made, if any.
    func invocation(after text: String, inAnswer: Bool) -> ToolInvocation?
}

/// A tool call a chain made, ready to be answered now or later.
public enum ToolInvocation: Sendable {
    /// The result is known at once (the calculator).
    case immediate(ToolCall)
    /// The result takes time; `run` produces it off the decode thread.
    case deferred(tool: String, input: String, run: @Sendable () async -> ToolCall)
}

/// One tool call in a chain, as recorded in the trace.
public struct ToolCall: Sendable, Hashable, Codable {
    /// The tool's name.
    public var tool: String
    /// What the chain asked (the expression, the code).
    public var input: String
    /// The result as the tool reports it (a number, program output, or an error message).
    public var result: String
    /// The exact text forced into the chain.
    public var injected: String
    /// Whether the tool failed (division by zero, a program error, a timeout...).
    public var isError: Bool
    /// For a tool that runs code, the sandbox isolation it ran under (`bubblewrap`, `namespaces`,
    /// `processOnly`); nil for other tools. In the JSON trace as `isolation`, left out when nil.
    public var isolation: String?

    /// Creates a record of a call.
    public init(tool: String, input: String, result: String, injected: String, isError: Bool, isolation: String? = nil) {
        self.tool = tool
        self.input = input
        self.result = result
        self.injected = injected
        self.isError = isError
        self.isolation = isolation
    }

    enum CodingKeys: String, CodingKey {
        case tool, input, result, injected, isolation
        case isError = "is_error"
    }
}

/// Which tools reasoning may use, and when.
///
/// ```swift
/// let tools = try ToolUse(tools: [CalculatorTool()], mode: .automatic)
/// let configuration = try ReasoningConfiguration(effort: .medium, tools: tools)
/// ```
public struct ToolUse: Sendable {
    /// When tools are offered.
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        /// Never.
        case never
        /// At effort medium and above, when the question contains a digit (the default in the CLI).
        case automatic
        /// Always, for every chain.
        case always
    }

    /// The tools, each at most once.
    public let tools: [any ReasoningTool]
    /// When they are offered.
    public let mode: Mode
    /// Most tool calls one chain may make (1...64); later calls are not answered.
    public let maxCallsPerChain: Int

    /// No tools.
    public static let none = ToolUse(uncheckedTools: [], mode: .never, maxCallsPerChain: 8)

    /// Creates a validated tool choice.
    /// - Throws: `ReasoningError.invalidSetting` for a duplicate tool or a call limit out of range.
    public init(tools: [any ReasoningTool], mode: Mode = .always, maxCallsPerChain: Int = 8) throws {
        guard (1...64).contains(maxCallsPerChain) else {
            throw ReasoningError.invalidSetting(name: "max tool calls", value: "\(maxCallsPerChain)", expected: "an integer in 1...64")
        }
        let names = tools.map(\.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw ReasoningError.invalidSetting(name: "tools", value: duplicate, expected: "each tool at most once")
        }
        self.init(uncheckedTools: tools, mode: mode, maxCallsPerChain: maxCallsPerChain)
    }

    private init(uncheckedTools: [any ReasoningTool], mode: Mode, maxCallsPerChain: Int) {
        self.tools = uncheckedTools
        self.mode = mode
        self.maxCallsPerChain = maxCallsPerChain
    }

    /// The tools offered for a question at a resolved effort and strategy.
    func active(for question: String, effort: Effort, strategy: StrategyKind) -> [any ReasoningTool] {
        guard strategy != .direct else { return [] }
        switch mode {
        case .never: return []
        case .always: return tools
        case .automatic:
            if strategy == .tools { return tools }
            let effortAllows = effort == .medium || effort == .high
            return effortAllows && question.contains(where: \.isNumber) ? tools : []
        }
    }
}
