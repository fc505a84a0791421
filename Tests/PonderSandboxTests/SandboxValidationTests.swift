import Foundation
import Testing
@testable import PonderSandbox

@Suite("Sandbox validation")
struct SandboxValidationTests {
    @Test("limits out of range throw a one-line error naming the field")
    func invalidLimits() {
        #expect(throws: SandboxError.self) { try SandboxLimits(wallSeconds: 0) }
        #expect(throws: SandboxError.self) { try SandboxLimits(wallSeconds: .infinity) }
        #expect(throws: SandboxError.self) { try SandboxLimits(cpuSeconds: 0) }
        #expect(throws: SandboxError.self) { try SandboxLimits(memoryBytes: 1024) }
        #expect(throws: SandboxError.self) { try SandboxLimits(outputBytes: 0) }
        do {
            _ = try SandboxLimits(cpuSeconds: -1)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("cpuSeconds"))
            #expect(!"\(error)".contains("\n"))
        }
    }

    @Test("a file name that escapes the directory is refused")
    func badFileName() async throws {
        let sandbox = try Sandbox()
        for name in ["../escape.txt", "/etc/passwd", "", ".."] {
            await #expect(throws: SandboxError.invalidFileName(name)) {
                try await sandbox.run(SandboxJob(program: .python("print(1)"), files: [name: "x"]))
            }
        }
    }

    @Test("a missing interpreter is a typed error")
    func missingInterpreter() async throws {
        let sandbox = try Sandbox(pythonPath: "/nonexistent/python3")
        await #expect(throws: SandboxError.interpreterNotFound(path: "/nonexistent/python3")) {
            try await sandbox.run(SandboxJob(program: .python("print(1)")))
        }
    }

    @Test("the report names the isolation and its protections")
    func report() throws {
        let sandbox = try Sandbox()
        #expect(sandbox.isolation == Sandbox.bestIsolation)
        #expect(sandbox.report.contains(sandbox.isolation.rawValue))
        #expect(sandbox.protections.contains(.cleanEnvironment))
        #expect(Sandbox.availableIsolations.contains(.processOnly))
        for isolation in SandboxIsolation.allCases where !Sandbox.availableIsolations.contains(isolation) {
            #expect(throws: SandboxError.self) { try Sandbox(isolation: isolation) }
        }
    }
}
