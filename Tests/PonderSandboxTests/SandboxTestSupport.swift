import Foundation
@testable import PonderSandbox
#if canImport(Glibc)
import Glibc
#endif

/// What the attack tests share: the isolating levels that work here, a way to run Python in one,
/// and `pgrep`.
enum SandboxTestSupport {
    /// Every level that isolates the filesystem and works on this machine (bubblewrap and
    /// namespaces on the development container).
    static let isolatingLevels = Sandbox.availableIsolations.filter(\.isolatesFilesystem)

    /// Runs `source` at `isolation` with `limits`.
    static func run(_ source: String, _ isolation: SandboxIsolation, limits: SandboxLimits = .standard) async throws -> SandboxResult {
        try await Sandbox(limits: limits, isolation: isolation).run(SandboxJob(program: .python(source)))
    }

    /// The pids of processes whose command line contains `marker`.
    static func pgrep(_ marker: String) -> [Int32] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        process.arguments = ["-f", marker]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return [] }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { Int32($0) }
    }

    /// Polls `pgrep` until a process with `marker` shows up (true) or `seconds` pass (false).
    static func waitForProcess(_ marker: String, seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if !pgrep(marker).isEmpty { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Python that double-forks a `setsid()` grandchild whose command line carries `marker`, which
    /// sleeps 30 s and then writes `markerFile`; the program itself exits after `exitAfter` seconds.
    static func doubleForkSleeper(marker: String, markerFile: String, exitAfter: Double) -> String {
        """
        import os, sys, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execv(sys.executable, [sys.executable, '-c',
                    'import sys, time\\ntime.sleep(30)\\nopen(sys.argv[1], "w").write("survived")', '\(markerFile)', '\(marker)'])
            os._exit(0)
        time.sleep(\(exitAfter))
        print('parent done')
        """
    }
}
