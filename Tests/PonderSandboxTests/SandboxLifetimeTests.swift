import Foundation
import PonderTesting
import Testing
@testable import PonderSandbox
#if canImport(Glibc)
import Glibc
#endif

/// Limits on the job as a whole and on its lifetime, for every isolating level that works here:
/// fork bombs and memory stop at the job's limits, no process outlives the job (not a `setsid()`
/// grandchild, not when the task is cancelled, not when the parent is killed with SIGKILL).
@Suite("Sandbox limits and lifetime", .serialized)
struct SandboxLifetimeTests {
    static let levels = SandboxTestSupport.isolatingLevels

    @Test("300 forks stop at the process limit; the job ends and leaves nothing", arguments: levels)
    func forkBomb(isolation: SandboxIsolation) async throws {
        let marker = "pp-fork-\(UUID().uuidString)"
        let source = """
        import os, sys, time
        made = 0
        for _ in range(300):
            try:
                if os.fork() == 0:
                    os.execv('/usr/bin/sleep', ['\(marker)', '20'])
                made += 1
            except OSError as error:
                print('fork failed', error.errno)
                break
        print('forked', made)
        """
        let limits = try SandboxLimits(wallSeconds: 20, processes: 64)
        let result = try await SandboxTestSupport.run(source, isolation, limits: limits)
        #expect(result.termination == .exited(0), "\(result.termination) \(result.stderr.suffix(300))")
        let made = result.stdout.split(separator: "\n").last.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 999
        #expect(made < 300 && made <= 64, "\(result.stdout)")
        #expect(result.stdout.contains("fork failed"), "\(result.stdout)")
        #expect(SandboxTestSupport.pgrep(marker).isEmpty, "forked sleepers outlived the job")
    }

    @Test("4 children allocating 300 MiB each under a 256 MiB job limit never all succeed", arguments: levels)
    func childrenAllocating(isolation: SandboxIsolation) async throws {
        let source = """
        import os, sys, time
        children = []
        for n in range(4):
            pid = os.fork()
            if pid == 0:
                try:
                    block = bytearray(300 << 20)
                    print('child', n, 'allocated', flush=True)
                    time.sleep(2)
                    os._exit(0)
                except MemoryError:
                    print('child', n, 'MemoryError', flush=True)
                    os._exit(3)
            children.append(pid)
        failed = 0
        for pid in children:
            _, status = os.waitpid(pid, 0)
            if status != 0:
                failed += 1
                if os.WIFSIGNALED(status):
                    print('child killed by signal', os.WTERMSIG(status), flush=True)
        sys.exit(1 if failed else 0)
        """
        let limits = try SandboxLimits(wallSeconds: 20, memoryBytes: 256 << 20)
        let result = try await SandboxTestSupport.run(source, isolation, limits: limits)
        #expect(!result.stdout.contains("allocated"), "\(result.stdout)")
        let failures = result.stdout.components(separatedBy: "MemoryError").count - 1
            + result.stdout.components(separatedBy: "killed by signal 9").count - 1
        #expect(result.termination == .memoryLimit || failures == 4, "\(result.termination): \(result.stdout)")
    }

    @Test("with a job memory cgroup, children together cannot pass the limit each alone keeps under", arguments: levels)
    func memoryIsPerJob(isolation: SandboxIsolation) async throws {
        guard Sandbox.memoryEnforcement == .cgroupV1 || Sandbox.memoryEnforcement == .cgroupV2 else { return }
        let source = """
        import os, time
        children = []
        for n in range(4):
            pid = os.fork()
            if pid == 0:
                block = bytearray(100 << 20)
                time.sleep(1.5)
                os._exit(0)
            children.append(pid)
        statuses = [os.waitpid(pid, 0)[1] for pid in children]
        print('statuses', statuses)
        raise SystemExit(1 if any(statuses) else 0)
        """
        let limits = try SandboxLimits(wallSeconds: 20, memoryBytes: 256 << 20)
        let result = try await SandboxTestSupport.run(source, isolation, limits: limits)
        #expect(result.termination == .memoryLimit, "\(result.termination): \(result.stdout) \(result.stderr)")
    }

    @Test("a setsid() grandchild does not outlive the job", arguments: levels)
    func setsidGrandchild(isolation: SandboxIsolation) async throws {
        let marker = "pp-orphan-\(UUID().uuidString)"
        let markerFile = FileManager.default.temporaryDirectory.path + "/" + marker
        let source = SandboxTestSupport.doubleForkSleeper(marker: marker, markerFile: markerFile, exitAfter: 1.5)
        let run = Task { try await SandboxTestSupport.run(source, isolation) }
        let seen = await SandboxTestSupport.waitForProcess(marker, seconds: 5)
        let result = try await run.value
        #expect(seen, "the grandchild never started: \(result.stderr)")
        #expect(result.stdout == "parent done\n", "\(result.stderr)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(SandboxTestSupport.pgrep(marker).isEmpty, "the grandchild outlived the job")
        #expect(!FileManager.default.fileExists(atPath: markerFile))
    }

    @Test("cancelling the task kills a sleeping program within a second and throws .cancelled", arguments: levels)
    func cancellation(isolation: SandboxIsolation) async throws {
        let marker = "pp-cancel-\(UUID().uuidString)"
        let source = SandboxTestSupport.doubleForkSleeper(marker: marker, markerFile: "/tmp/unused", exitAfter: 30)
        let limits = try SandboxLimits(wallSeconds: 60, cpuSeconds: 60)
        let run = Task { try await SandboxTestSupport.run(source, isolation, limits: limits) }
        #expect(await SandboxTestSupport.waitForProcess(marker, seconds: 5))
        let cancelled = ContinuousClock.now
        run.cancel()
        let outcome = await run.result
        let elapsed = ContinuousClock.now - cancelled
        #expect(elapsed < .seconds(1), "took \(elapsed)")
        switch outcome {
        case .failure(let error): #expect(error as? SandboxError == .cancelled)
        case .success(let result): Issue.record("ran to the end: \(result.termination)")
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(SandboxTestSupport.pgrep(marker).isEmpty, "the program outlived the cancellation")
    }

    @Test("SIGKILL of the process running the sandbox leaves no survivors", arguments: levels)
    func parentKilled(isolation: SandboxIsolation) async throws {
        let marker = "pp-parent-\(UUID().uuidString)"
        let file = FileManager.default.temporaryDirectory.path + "/ponder-kill-test-\(UUID().uuidString.prefix(8)).py"
        try SandboxTestSupport.doubleForkSleeper(marker: marker, markerFile: "/tmp/unused", exitAfter: 30)
            .write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let child = try HarnessProcess.start(["sandbox", isolation.rawValue, file])
        let seen = await SandboxTestSupport.waitForProcess(marker, seconds: 8)
        child.kill()
        let ended = child.wait()
        #expect(seen, "the sandboxed program never started: \(ended.errors)")
        #expect(ended.signalled)
        try await Task.sleep(for: .seconds(2))
        #expect(SandboxTestSupport.pgrep(marker).isEmpty, "processes survived the parent's SIGKILL")
        // What the killed parent could not clean up is removed by the next sandbox user.
        SandboxDirectory.removeStale()
        for parent in [SandboxProbe.shared.cgroups.memoryParent, SandboxProbe.shared.cgroups.pidsParent].compactMap({ $0 }) {
            SandboxCgroupSupport.removeStale(in: parent)
            let left = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
            #expect(!left.contains { $0.hasPrefix("ponder-sandbox-\(child.pid)-") }, "\(left)")
        }
        let staged = (try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)) ?? []
        #expect(!staged.contains { $0.hasPrefix("ponder-sandbox-\(child.pid)-") })
    }
}
