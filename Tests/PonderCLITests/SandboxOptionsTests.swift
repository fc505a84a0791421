import ArgumentParser
import Foundation
@testable import PonderCLI
import PonderSandbox
import PonderTools
import Testing

/// `--sandbox` on ask, chat and eval, and `ponder sandbox check|run`.
@Suite struct SandboxOptionsTests {
    @Test func everyCommandThatRunsCodeTakesTheSandboxFlag() throws {
        let ask = try #require(try PonderCommand.parseAsRoot(["ask", "q", "--tools", "python", "--sandbox", "namespaces"]) as? AskCommand)
        #expect(ask.sandbox.level == .namespaces)
        let chat = try #require(try PonderCommand.parseAsRoot(["chat", "--sandbox", "bubblewrap"]) as? ChatCommand)
        #expect(chat.sandbox.level == .bubblewrap)
        let eval = try #require(try PonderCommand.parseAsRoot(["eval", "--generate", "arithmetic", "--sandbox", "process"]) as? EvalCommand)
        #expect(eval.sandboxOptions.level == .process)
        let plain = try #require(try PonderCommand.parseAsRoot(["ask", "q"]) as? AskCommand)
        #expect(plain.sandbox.level == .auto)
        #expect(throws: (any Error).self) { _ = try PonderCommand.parseAsRoot(["ask", "q", "--sandbox", "chroot"]) }
    }

    @Test func theLevelsMapToTheLibrarysOnes() {
        #expect(SandboxLevel.auto.isolation == nil)
        #expect(SandboxLevel.process.isolation == .processOnly)
        for isolation in SandboxIsolation.allCases { #expect(SandboxLevel(isolation).isolation == isolation) }
    }

    @Test func pythonToolRunsAtTheChosenLevel() throws {
        let ask = try #require(try PonderCommand.parseAsRoot(["ask", "q", "--tools", "python", "--sandbox", "process"]) as? AskCommand)
        let configuration = try ask.reasoningOptions.configuration(sandbox: ask.sandbox)
        let tool = try #require(configuration.tools.tools.first as? PythonTool)
        #expect((tool.runner as? SandboxCodeRunner)?.isolation == .processOnly)
        let auto = try #require(try PonderCommand.parseAsRoot(["ask", "q", "--tools", "python"]) as? AskCommand)
        let autoTool = try #require(try auto.reasoningOptions.configuration(sandbox: auto.sandbox).tools.tools.first as? PythonTool)
        #expect((autoTool.runner as? SandboxCodeRunner)?.isolation == Sandbox.bestIsolation)
    }

    @Test func aLevelThatDoesNotWorkFailsAtStartInOneLine() throws {
        for isolation in SandboxIsolation.allCases where Sandbox.unavailableReason(isolation) != nil {
            let ask = try #require(try PonderCommand.parseAsRoot(["ask", "q", "--tools", "python", "--sandbox", SandboxLevel(isolation).rawValue]) as? AskCommand)
            do {
                _ = try ask.reasoningOptions.configuration(sandbox: ask.sandbox)
                Issue.record("\(isolation) set up")
            } catch {
                #expect(!"\(error)".contains("\n"))
            }
        }
        // Without python no sandbox is needed, so nothing can fail.
        let calculator = try #require(try PonderCommand.parseAsRoot(["ask", "q", "--tools", "calculator", "--sandbox", "namespaces"]) as? AskCommand)
        #expect(try calculator.reasoningOptions.configuration(sandbox: calculator.sandbox).tools.tools.map(\.name) == ["calculator"])
    }

    @Test func sandboxRunParsesItsLimits() throws {
        let file = FileManager.default.temporaryDirectory.path + "/ponder-parse-\(UUID().uuidString).py"
        try "print(1)\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let command = try PonderCommand.parseAsRoot(["sandbox", "run", "--sandbox", "namespaces", "--wall", "3", "--cpu", "2",
                                                     "--memory", "256", "--scratch", "8", "--processes", "16", file])
        let run = try #require(command as? SandboxRunCommand)
        let limits = try run.limits()
        #expect(limits.wallSeconds == 3 && limits.cpuSeconds == 2 && limits.memoryBytes == 256 << 20)
        #expect(limits.scratchBytes == 8 << 20 && limits.processes == 16 && run.sandbox.level == .namespaces)
        #expect(try PonderCommand.parseAsRoot(["sandbox", "check"]) is SandboxCheckCommand)
        for bad in [["--scratch", "0"], ["--memory", "1"], ["--processes", "0"], ["--wall", "0"]] {
            #expect(throws: (any Error).self) { _ = try PonderCommand.parseAsRoot(["sandbox", "run"] + bad + [file]) }
        }
        #expect(throws: (any Error).self) { _ = try PonderCommand.parseAsRoot(["sandbox", "run", "/nonexistent/x.py"]) }
    }
}
