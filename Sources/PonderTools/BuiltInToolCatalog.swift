import PonderReasoning

/// Ponder's own tools as a `ToolCatalog`: the exact calculator, and python when a code runner is
/// given. What `ponder serve` hands the server; the default (no names) is `ToolSelection.automatic`.
///
/// ```swift
/// let catalog = BuiltInToolCatalog(codeRunner: try SandboxCodeRunner(sandbox: sandbox))
/// let tools = try catalog.toolUse(names: ["calculator", "python"])
/// ```
public struct BuiltInToolCatalog: ToolCatalog {
    /// Where the python tool runs; nil refuses python (`ToolRefusal.codeExecutionDisabled`).
    public let codeRunner: (any CodeRunner)?
    /// Most tool calls one chain may make (1...64, checked by `ToolUse` when tools are built).
    public let maxCallsPerChain: Int

    /// Creates the catalog; `codeRunner` nil (the default) means code execution is not allowed.
    public init(codeRunner: (any CodeRunner)? = nil, maxCallsPerChain: Int = 8) {
        self.codeRunner = codeRunner
        self.maxCallsPerChain = maxCallsPerChain
    }

    /// `calculator`, `python`.
    public var toolNames: [String] { ToolSelection.Name.allCases.map(\.rawValue) }

    /// Refuses a name Ponder has no tool for, and python without a code runner.
    public func check(_ name: String) throws(ToolRefusal) {
        _ = try tool(named: name)
    }

    /// The named tools, always on; nil: `ToolSelection.automatic` (the calculator, by the
    /// automatic rule).
    public func toolUse(names: [String]?) throws -> ToolUse {
        var selection = ToolSelection.automatic
        if let names {
            var tools: [ToolSelection.Name] = []
            for name in names { tools.append(try tool(named: name)) }
            selection = ToolSelection(names: tools, isAutomatic: false)
        }
        return try selection.toolUse(maxCallsPerChain: maxCallsPerChain) { codeRunner }
    }

    private func tool(named name: String) throws(ToolRefusal) -> ToolSelection.Name {
        guard let tool = ToolSelection.Name(rawValue: name) else { throw .unknownTool(name: name, known: toolNames) }
        if tool == .python, codeRunner == nil { throw .codeExecutionDisabled(name: name) }
        return tool
    }
}
