import Foundation
import Testing
@testable import PonderSandbox

/// Runs real python3 processes through every isolation level that works on this machine.
@Suite("Sandbox runs programs")
struct SandboxRunTests {
    static let isolations = Sandbox.availableIsolations

    @Test("a correct program passes, with stdin and job files", arguments: isolations)
    func correctProgramPasses(isolation: SandboxIsolation) async throws {
        let sandbox = try Sandbox(isolation: isolation)
        let job = SandboxJob(
            program: .python("import sys\nname = open('data.txt').read().strip()\nprint(sys.stdin.read().strip()[::-1], name, 6 * 7)"),
            stdin: "olleh\n",
            files: ["data.txt": "world\n"]
        )
        let result = try await sandbox.run(job)
        #expect(result.termination == .exited(0), "\(result.stderr)")
        #expect(result.stdout == "hello world 42\n")
        #expect(result.succeeded)
        #expect(result.isolation == isolation)
    }

    @Test("a failing program reports its exit status and stderr", arguments: isolations)
    func failingProgram(isolation: SandboxIsolation) async throws {
        let sandbox = try Sandbox(isolation: isolation)
        let result = try await sandbox.run(SandboxJob(program: .python("import sys\nsys.stderr.write('bad\\n')\nsys.exit(3)")))
        #expect(result.termination == .exited(3))
        #expect(result.stderr == "bad\n")
        #expect(!result.succeeded)
    }

    @Test("an infinite loop is killed at the wall-clock limit", arguments: isolations)
    func infiniteLoopTimesOut(isolation: SandboxIsolation) async throws {
        let limits = try SandboxLimits(wallSeconds: 1, cpuSeconds: 30)
        let sandbox = try Sandbox(limits: limits, isolation: isolation)
        // A forked child that sleeps forever as well: the whole tree must go.
        let source = "import os, time\nif os.fork() == 0:\n    time.sleep(1000)\nwhile True:\n    pass\n"
        let result = try await sandbox.run(SandboxJob(program: .python(source)))
        #expect(result.termination == .timedOut)
        #expect(result.wallSeconds >= 1 && result.wallSeconds < 4, "took \(result.wallSeconds) s")
    }

    @Test("CPU time is limited", arguments: isolations)
    func cpuLimit(isolation: SandboxIsolation) async throws {
        let limits = try SandboxLimits(wallSeconds: 30, cpuSeconds: 1)
        let sandbox = try Sandbox(limits: limits, isolation: isolation)
        let result = try await sandbox.run(SandboxJob(program: .python("while True:\n    pass\n")))
        #expect(result.termination == .cpuLimit)
        #expect(result.wallSeconds < 20)
    }

    @Test("unbounded allocation is stopped at the memory limit", arguments: isolations)
    func memoryLimit(isolation: SandboxIsolation) async throws {
        let limits = try SandboxLimits(wallSeconds: 20, cpuSeconds: 10, memoryBytes: 128 << 20)
        let sandbox = try Sandbox(limits: limits, isolation: isolation)
        let source = "blocks = []\nwhile True:\n    blocks.append(bytearray(8 << 20))\n"
        let result = try await sandbox.run(SandboxJob(program: .python(source)))
        #expect(result.termination == .memoryLimit, "\(result.termination): \(result.stderr.suffix(200))")
    }

    @Test("output beyond the limit is truncated", arguments: isolations)
    func outputTruncated(isolation: SandboxIsolation) async throws {
        let limits = try SandboxLimits(outputBytes: 1000)
        let sandbox = try Sandbox(limits: limits, isolation: isolation)
        let result = try await sandbox.run(SandboxJob(program: .python("print('x' * 100000)\nimport sys\nsys.stderr.write('e' * 10)")))
        #expect(result.termination == .exited(0))
        #expect(result.stdout.utf8.count == 1000)
        #expect(result.stdoutTruncated)
        #expect(result.stderr == String(repeating: "e", count: 10))
        #expect(!result.stderrTruncated)
    }

    /// One sandbox run and when it began and ended, as the calling task saw it.
    struct TimedRun {
        let began: ContinuousClock.Instant
        let ended: ContinuousClock.Instant
        let result: SandboxResult
    }

    @Test("runs do not block each other or the cooperative pool")
    func concurrentRuns() async throws {
        let sandbox = try Sandbox()
        // More runs than the cooperative pool has threads (one per core). If a run held its
        // pool thread while the child ran, at most `cores` runs could be in flight at once.
        // Counting how many were in flight together does not depend on what other tests in
        // the suite do with the pool, unlike timing a ticker.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let count = cores + 4
        let runs = try await withThrowingTaskGroup(of: TimedRun.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let began = ContinuousClock.now
                    let result = try await sandbox.run(SandboxJob(program: .python("import time\ntime.sleep(3)\nprint('ok')")))
                    return TimedRun(began: began, ended: ContinuousClock.now, result: result)
                }
            }
            return try await group.reduce(into: [TimedRun]()) { $0.append($1) }
        }
        #expect(runs.allSatisfy { $0.result.stdout == "ok\n" })
        let lastStart = runs.map(\.began).max()!
        let inFlightTogether = runs.filter { $0.ended > lastStart }.count
        #expect(inFlightTogether > cores, "only \(inFlightTogether) of \(count) runs were in flight at once on \(cores) cores")
    }

    @Test("the working directory is removed afterwards")
    func directoryRemoved() throws {
        let directory = try SandboxDirectory(files: ["a.txt": Data("x".utf8)])
        #expect(FileManager.default.fileExists(atPath: directory.jobPath + "/a.txt"))
        #expect((try FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? Int) == 0o700)
        directory.remove()
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }
}
