import PonderReasoning
@testable import PonderTools
import Testing

/// `BuiltInToolCatalog`, the catalog `ponder serve` hands the server.
@Suite struct BuiltInToolCatalogTests {
    let runner = RecordingRunner(reply: .init(output: "", isError: false))

    @Test func namesEveryToolAndRefusesUnknownOnes() {
        let catalog = BuiltInToolCatalog()
        #expect(catalog.toolNames == ["calculator", "python"])
        #expect(throws: ToolRefusal.unknownTool(name: "shell", known: ["calculator", "python"])) { try catalog.check("shell") }
        #expect(throws: ToolRefusal.unknownTool(name: "Calculator", known: ["calculator", "python"])) { try catalog.check("Calculator") }
        #expect(throws: Never.self) { try catalog.check("calculator") }
    }

    @Test func pythonIsRefusedWithoutACodeRunner() throws {
        let closed = BuiltInToolCatalog()
        #expect(throws: ToolRefusal.codeExecutionDisabled(name: "python")) { try closed.check("python") }
        #expect(throws: ToolRefusal.codeExecutionDisabled(name: "python")) { try closed.toolUse(names: ["calculator", "python"]) }
        let open = BuiltInToolCatalog(codeRunner: runner)
        try open.check("python")
        let use = try open.toolUse(names: ["python", "calculator"])
        #expect(use.tools.map(\.name) == ["python", "calculator"] && use.mode == .always)
        #expect((use.tools.first as? PythonTool)?.runner is RecordingRunner)
    }

    @Test func noNamesIsTheAutomaticCalculatorAndAnEmptyListIsNone() throws {
        let catalog = BuiltInToolCatalog(codeRunner: runner)
        let automatic = try catalog.toolUse(names: nil)
        #expect(automatic.tools.map(\.name) == ["calculator"] && automatic.mode == .automatic)
        let none = try catalog.toolUse(names: [])
        #expect(none.tools.isEmpty && none.mode == .never)
    }

    @Test func theCallLimitReachesTheToolUse() throws {
        #expect(try BuiltInToolCatalog(maxCallsPerChain: 3).toolUse(names: ["calculator"]).maxCallsPerChain == 3)
        #expect(throws: ReasoningError.self) { try BuiltInToolCatalog(maxCallsPerChain: 0).toolUse(names: ["calculator"]) }
    }
}
