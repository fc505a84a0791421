import Foundation
import PonderReasoning

/// The tools a user asked for by name (`--tools calculator,python`, `"tools": ["calculator"]`),
/// turned into the reasoning's `ToolUse`.
///
/// ```swift
/// let selection = try ToolSelection(parsing: "calculator,python")
/// let tools = try selection.toolUse(codeRunner: SandboxCodeRunner())
/// ```
public struct ToolSelection: Sendable, Hashable {
    /// A tool Ponder has.
    public enum Name: String, Sendable, Hashable, CaseIterable, Codable {
        /// The exact calculator (``CalculatorTool``).
        case calculator
        /// Python in the sandbox (``PythonTool``).
        case python
    }

    /// The tools chosen, in order, without repeats; empty means none.
    public let names: [Name]
    /// Whether tools follow the automatic rule (effort medium and above, questions with numbers)
    /// rather than being always on.
    public let isAutomatic: Bool

    /// The default when nothing is asked: the calculator, automatically. Running code is opt-in.
    public static let automatic = ToolSelection(names: [.calculator], isAutomatic: true)
    /// No tools.
    public static let none = ToolSelection(names: [], isAutomatic: false)

    /// Creates a selection.
    public init(names: [Name], isAutomatic: Bool) {
        var unique: [Name] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        self.names = unique
        self.isAutomatic = isAutomatic
    }

    /// Parses `none`, `auto`, or a comma-separated list of tool names (always on).
    /// - Throws: `ToolSelectionError.unknownTool` naming the unknown name.
    public init(parsing text: String) throws {
        let words = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        if words == ["none"] { self = .none; return }
        if words == ["auto"] { self = .automatic; return }
        guard !words.isEmpty else { throw ToolSelectionError.unknownTool("") }
        var names: [Name] = []
        for word in words {
            guard let name = Name(rawValue: word) else { throw ToolSelectionError.unknownTool(word) }
            names.append(name)
        }
        self.init(names: names, isAutomatic: false)
    }

    /// The reasoning's tool choice; python runs through `codeRunner`.
    public func toolUse(codeRunner: @autoclosure () -> any CodeRunner, maxCallsPerChain: Int = 8) throws -> ToolUse {
        try toolUse(maxCallsPerChain: maxCallsPerChain) { codeRunner() }
    }

    /// The reasoning's tool choice; python runs through `codeRunner()`, asked only when python is
    /// chosen, and is refused with `ToolRefusal.codeExecutionDisabled` when it returns nil.
    func toolUse(maxCallsPerChain: Int, codeRunner: () -> (any CodeRunner)?) throws -> ToolUse {
        guard !names.isEmpty else { return .none }
        let tools: [any ReasoningTool] = try names.map { name in
            switch name {
            case .calculator: return CalculatorTool()
            case .python:
                guard let runner = codeRunner() else { throw ToolRefusal.codeExecutionDisabled(name: name.rawValue) }
                return PythonTool(runner: runner)
            }
        }
        return try ToolUse(tools: tools, mode: isAutomatic ? .automatic : .always, maxCallsPerChain: maxCallsPerChain)
    }
}

/// A tool name that Ponder does not have.
public enum ToolSelectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name given.
    case unknownTool(String)

    public var description: String {
        switch self {
        case .unknownTool(let name):
            let known = ToolSelection.Name.allCases.map(\.rawValue).joined(separator: ", ")
            return name.isEmpty ? "no tool named; use none, auto, or any of: \(known)"
                : "unknown tool '\(name)'; use none, auto, or any of: \(known)"
        }
    }
}
