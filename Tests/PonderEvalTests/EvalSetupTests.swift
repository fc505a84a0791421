import PonderReasoning
import PonderSandbox
import PonderTools
import Testing
@testable import PonderEval

@Suite struct EvalSetupTests {
    private struct NoSandboxHere: Error, Equatable {}

    private let numbers = [EvalProblem(id: "n1", question: "What is 1 + 1?", expected: "2", kind: .number)]
    private let code = [EvalProblem(id: "c1", question: "Write f.", expected: "", kind: .code,
                                    code: CodeTask(prompt: "def f():\n", entryPoint: "f", test: "assert f() == 1"))]

    @Test func numberProblemsWithoutPythonNeedNoSandbox() throws {
        var calls = 0
        let setup = try EvalSetup(problems: numbers, settings: [EvalSetting(strategy: .cot, effort: .low)],
                                  tools: try ToolSelection(parsing: "calculator")) {
            calls += 1
            throw NoSandboxHere()
        }
        #expect(calls == 0 && setup.sandbox == nil && setup.codeGrader == nil)
        #expect(setup.toolNames == ["calculator"] && setup.sandboxDescription.isEmpty)
    }

    @Test func codeProblemsOrPythonBuildTheSandboxOnce() {
        for (problems, tools) in [(code, ToolSelection.none), (numbers, ToolSelection(names: [.python], isAutomatic: false))] {
            var calls = 0
            #expect(throws: NoSandboxHere()) {
                _ = try EvalSetup(problems: problems, settings: [EvalSetting(strategy: .direct, effort: .low)], tools: tools) {
                    calls += 1
                    throw NoSandboxHere()
                }
            }
            #expect(calls == 1)
        }
    }

    @Test func toolsStrategyWithoutToolsIsRefused() {
        #expect(throws: EvalSetupError.toolsStrategyWithoutTools) {
            _ = try EvalSetup(problems: numbers, settings: [EvalSetting(strategy: .tools, effort: .medium)], tools: .none) {
                throw NoSandboxHere()
            }
        }
    }
}
