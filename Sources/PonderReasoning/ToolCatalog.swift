/// The tools a host (the server, a CLI command) offers by name, and what a choice of them becomes.
/// The host knows names only; the catalog owns the tools and whatever they need to run (the python
/// tool's sandbox), so a module that serves requests never builds a tool itself.
///
/// ```swift
/// let catalog: any ToolCatalog = BuiltInToolCatalog(codeRunner: nil)   // PonderTools
/// try catalog.check("python")                  // throws ToolRefusal.codeExecutionDisabled
/// let tools = try catalog.toolUse(names: nil)  // the automatic default
/// ```
public protocol ToolCatalog: Sendable {
    /// Every tool name the catalog knows, in the order messages list them.
    var toolNames: [String] { get }

    /// Checks that a request may name `name`: the tool exists and is allowed here.
    /// - Throws: `ToolRefusal` saying which of the two it is not.
    func check(_ name: String) throws(ToolRefusal)

    /// The reasoning's tool use for a request that names `names` (always on, in that order), or
    /// nil for the catalog's automatic default; `[]` means no tools. Each call builds fresh tools.
    /// - Throws: `ToolRefusal` for a name `check` refuses, or `ReasoningError` from `ToolUse`.
    func toolUse(names: [String]?) throws -> ToolUse
}

/// Why a catalog refuses a tool name.
public enum ToolRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// No tool has this name; `known` lists the names there are.
    case unknownTool(name: String, known: [String])
    /// The tool runs code and whoever started this process did not allow code execution.
    case codeExecutionDisabled(name: String)

    public var description: String {
        switch self {
        case .unknownTool(let name, let known): "unknown tool '\(name)'; known: \(known.joined(separator: ", "))"
        case .codeExecutionDisabled(let name): "the '\(name)' tool runs code, and code execution is not allowed here"
        }
    }
}

/// A catalog without tools: every name is unknown and the default is no tools.
public struct EmptyToolCatalog: ToolCatalog {
    /// Creates the empty catalog.
    public init() {}

    /// None.
    public var toolNames: [String] { [] }

    /// Refuses every name as unknown.
    public func check(_ name: String) throws(ToolRefusal) { throw .unknownTool(name: name, known: []) }

    /// `ToolUse.none` for nil or `[]`; any name is refused as unknown.
    public func toolUse(names: [String]?) throws -> ToolUse {
        for name in names ?? [] { try check(name) }
        return .none
    }
}
