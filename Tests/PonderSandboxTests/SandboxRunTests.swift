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

    @Test("runs do not block each other or the cooperative pool")
    func concurrentRuns() async throws {
        let sandbox = try Sandbox()
        let start = ContinuousClock.now
        // A ticker on the cooperative pool must finish while the runs (more than there are cores) wait.
        let ticker = Task { () -> ContinuousClock.Instant in
            for _ in 0..<5 { try? await Task.sleep(for: .milliseconds(100)) }
            return ContinuousClock.now
        }
        // Timed from when the first run starts: in the full suite other tests may hold the
        // cooperative pool for a while before these tasks get to start at all.
        let runs = try await withThrowingTaskGroup(of: (ContinuousClock.Instant, SandboxResult).self) { group in
            for _ in 0..<6 {
                group.addTask {
                    let began = ContinuousClock.now
                    return (began, try await sandbox.run(SandboxJob(program: .python("import time\ntime.sleep(3)\nprint('ok')"))))
                }
            }
            return try await group.reduce(into: [(ContinuousClock.Instant, SandboxResult)]()) { $0.append($1) }
        }
        let results = runs.map(\.1)
        let finished = ContinuousClock.now
        let elapsed = finished - (runs.map(\.0).min() ?? start)
        #expect(results.allSatisfy { $0.stdout == "ok\n" })
        #expect(await ticker.value < finished, "the cooperative pool was blocked")
        // One after another, the runs would take at least the sum of their own wall times.
        let sum = results.reduce(0) { $0 + $1.wallSeconds }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        #expect(seconds < 0.6 * sum, "six 3 s sleeps took \(seconds) s; their own times add up to \(sum) s")
    }

    @Test("the working directory is removed afterwards")
    func directoryRemoved() throws {
        let directory = try SandboxDirectory(files: ["a.txt": Data("x".utf8)], ownedByNobody: false)
        #expect(FileManager.default.fileExists(atPath: directory.path + "/a.txt"))
        directory.remove()
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }
}
