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

    @Test("the report names the isolation, its protections and the memory enforcement")
    func report() throws {
        let sandbox = try Sandbox()
        #expect(sandbox.isolation == Sandbox.bestIsolation)
        #expect(sandbox.isolation.isolatesFilesystem)
        #expect(sandbox.warning == nil)
        #expect(sandbox.report.contains(sandbox.isolation.rawValue))
        #expect(sandbox.report.contains(sandbox.memoryEnforcement.description))
        #expect(sandbox.protections.isSuperset(of: [.cleanEnvironment, .filesystemIsolation, .noNetwork, .scratchLimit, .noTerminal]))
        #expect(Sandbox.availableIsolations.contains(.processOnly))
        for isolation in SandboxIsolation.allCases where !Sandbox.availableIsolations.contains(isolation) {
            #expect(throws: SandboxError.self) { try Sandbox(isolation: isolation) }
        }
    }

    @Test("processOnly is used only when named, and says loudly that it does not isolate")
    func processOnlyWarns() throws {
        let sandbox = try Sandbox(isolation: .processOnly)
        #expect(sandbox.warning?.contains("does not isolate") == true)
        #expect(sandbox.report.contains("WARNING"))
        #expect(!sandbox.protections.contains(.filesystemIsolation))
        #expect(!sandbox.protections.contains(.noNetwork))
    }

    @Test("with neither bwrap nor unshare, Sandbox() refuses in one line naming what is missing")
    func refusesWithoutIsolation() throws {
        let tools = SandboxTools(bwrap: "/nonexistent/bwrap", unshare: "/nonexistent/unshare")
        let probe = SandboxProbe(tools: tools, cgroups: SandboxCgroupSupport.none)
        #expect(probe.bestIsolating == nil)
        do {
            _ = try Sandbox(limits: .standard, isolation: nil, pythonPath: "/usr/bin/python3", probe: probe)
            Issue.record("no error")
        } catch {
            guard case .noIsolation = error else { Issue.record("\(error)"); return }
            let message = "\(error)"
            #expect(message.hasPrefix("no isolating sandbox here: "))
            #expect(message.contains("/nonexistent/bwrap is missing (apt-get install bubblewrap)"))
            #expect(message.contains("/nonexistent/unshare"))
            #expect(!message.contains("\n"))
        }
        #expect(throws: SandboxError.self) {
            try Sandbox(limits: .standard, isolation: .bubblewrap, pythonPath: "/usr/bin/python3", probe: probe)
        }
        // Named explicitly, the unisolated level still works, with its warning.
        let unisolated = try Sandbox(limits: .standard, isolation: .processOnly, pythonPath: "/usr/bin/python3", probe: probe)
        #expect(unisolated.warning != nil)
    }

    @Test("a level whose launcher fails is refused with the launcher's own message")
    func failingLauncherIsRefused() throws {
        // A shell that cannot run the init script: the namespaces probe fails and says so.
        let tools = SandboxTools(bwrap: "/nonexistent/bwrap", shell: "/usr/bin/false")
        let probe = SandboxProbe(tools: tools, cgroups: SandboxCgroupSupport.none)
        let reason = try #require(probe.unavailableReason(.namespaces))
        #expect(reason.hasPrefix("unshare --mount failed: "))
        #expect(throws: SandboxError.self) {
            try Sandbox(limits: .standard, isolation: nil, pythonPath: "/usr/bin/python3", probe: probe)
        }
    }

    @Test("with only bwrap missing, the default falls to the namespaces level", .enabled(if: Sandbox.unavailableReason(.namespaces) == nil))
    func fallsToNamespaces() throws {
        let probe = SandboxProbe(tools: SandboxTools(bwrap: "/nonexistent/bwrap"), cgroups: SandboxCgroupSupport.none)
        let sandbox = try Sandbox(limits: .standard, isolation: nil, pythonPath: "/usr/bin/python3", probe: probe)
        #expect(sandbox.isolation == .namespaces)
        #expect(sandbox.memoryEnforcement == .addressSpace)
        #expect(!sandbox.protections.contains(.jobMemoryLimit))
    }

    @Test("scratch and process limits are validated")
    func newLimitsValidated() {
        #expect(throws: SandboxError.self) { try SandboxLimits(scratchBytes: 1000) }
        #expect(throws: SandboxError.self) { try SandboxLimits(scratchBytes: 17 << 30) }
        #expect(throws: SandboxError.self) { try SandboxLimits(processes: 0) }
        #expect(throws: SandboxError.self) { try SandboxLimits(processes: 5000) }
        #expect(SandboxLimits.standard.scratchBytes == 64 << 20 && SandboxLimits.standard.processes == 64)
    }
}
