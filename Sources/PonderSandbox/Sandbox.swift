import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs untrusted code (model-written programs, HumanEval candidates) in a separate, limited
/// process: a fresh temporary directory (removed afterwards), a clean environment, CPU, memory,
/// file-size and output limits, a wall-clock limit that kills the whole process tree, and, where
/// the machine allows, no network and no view of the filesystem (`SandboxIsolation`).
///
/// ```swift
/// let sandbox = try Sandbox(limits: try SandboxLimits(wallSeconds: 5))
/// let result = try await sandbox.run(SandboxJob(program: .python("print(6 * 7)")))
/// // result.termination == .exited(0), result.stdout == "42\n"
/// print(sandbox.isolation, sandbox.protections)   // e.g. "bubblewrap", "… no network, …"
/// ```
public struct Sandbox: Sendable {
    /// The limits every run gets.
    public let limits: SandboxLimits
    /// The isolation every run gets.
    public let isolation: SandboxIsolation
    /// The Python interpreter for `.python` programs (with `bubblewrap` it must live under `/usr`).
    public let pythonPath: String

    /// Builds a sandbox. With `isolation` nil the strongest level that works here is chosen
    /// (`Sandbox.bestIsolation`); naming one that does not work throws `.isolationUnavailable`.
    public init(
        limits: SandboxLimits = .standard,
        isolation: SandboxIsolation? = nil,
        pythonPath: String = "/usr/bin/python3"
    ) throws(SandboxError) {
        if let isolation {
            if let reason = SandboxProbe.shared.unavailableReason(isolation) {
                throw .isolationUnavailable(isolation, reason: reason)
            }
            self.isolation = isolation
        } else {
            self.isolation = SandboxProbe.shared.best
        }
        self.limits = limits
        self.pythonPath = pythonPath
    }

    /// The strongest isolation that works on this machine.
    public static var bestIsolation: SandboxIsolation { SandboxProbe.shared.best }

    /// Every isolation level that works on this machine, strongest first.
    public static var availableIsolations: [SandboxIsolation] {
        SandboxIsolation.allCases.filter { SandboxProbe.shared.unavailableReason($0) == nil }
    }

    /// Why `isolation` does not work here, or nil when it does.
    public static func unavailableReason(_ isolation: SandboxIsolation) -> String? {
        SandboxProbe.shared.unavailableReason(isolation)
    }

    /// What each run of this sandbox is protected by.
    public var protections: SandboxProtections {
        isolation.protections.union(SandboxProbe.shared.prlimit == nil ? [] : .resourceLimits)
    }

    /// A one-line account of the isolation and protections, for logs and reports.
    public var report: String {
        var text = "sandbox: \(isolation) (\(protections))"
        if isolation != .bubblewrap, let reason = SandboxProbe.shared.unavailableReason(.bubblewrap) {
            text += "; bubblewrap unavailable: \(reason)"
        }
        return text
    }

    /// Runs one job in a fresh directory and returns how it ended. Throws only when the job could
    /// not be started; a failing, looping or allocating program is a result. The blocking work
    /// runs on a dedicated thread, not on the cooperative pool.
    public func run(_ job: SandboxJob) async throws(SandboxError) -> SandboxResult {
        let sandbox = self
        let outcome: Result<SandboxResult, SandboxError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(SandboxError) {
                    continuation.resume(returning: .success(try sandbox.runBlocking(job)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.name = "ponder-sandbox"
            thread.start()
        }
        return try outcome.get()
    }

    /// Runs one job on the calling thread (blocking).
    func runBlocking(_ job: SandboxJob) throws(SandboxError) -> SandboxResult {
        let (executable, programArguments) = try resolve(job.program)
        var files = job.files
        if case let .python(source) = job.program { files[SandboxDirectory.pythonMain] = Data(source.utf8) }
        let directory = try SandboxDirectory(files: files, ownedByNobody: isolation == .namespaces)
        defer { directory.remove() }
        let command = SandboxCommand(isolation: isolation, limits: limits, prlimit: SandboxProbe.shared.prlimit)
        let (launcher, arguments) = command.build(executable: executable, arguments: programArguments, directory: directory.path)
        let home = isolation == .bubblewrap ? SandboxCommand.mountPoint : directory.path
        let outcome = try ChildProcess.run(
            executable: launcher, arguments: arguments,
            environment: ["PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=\(home)"],
            workingDirectory: directory.path, stdin: Array(job.stdin),
            outputLimit: limits.outputBytes, wallSeconds: limits.wallSeconds
        )
        let stderr = String(decoding: outcome.stderr, as: UTF8.self)
        return SandboxResult(
            termination: termination(of: outcome, stderr: stderr),
            stdout: String(decoding: outcome.stdout, as: UTF8.self),
            stderr: stderr,
            stdoutTruncated: outcome.stdoutTruncated,
            stderrTruncated: outcome.stderrTruncated,
            wallSeconds: outcome.wallSeconds,
            isolation: isolation
        )
    }

    private func resolve(_ program: SandboxProgram) throws(SandboxError) -> (String, [String]) {
        switch program {
        case .python:
            guard FileManager.default.isExecutableFile(atPath: pythonPath) else {
                throw .interpreterNotFound(path: pythonPath)
            }
            // -I: isolated mode (no user site, no PYTHON* variables); -B: write no .pyc files.
            return (pythonPath, ["-I", "-B", SandboxDirectory.pythonMain])
        case let .executable(path, arguments):
            guard FileManager.default.isExecutableFile(atPath: path) else { throw .interpreterNotFound(path: path) }
            return (path, arguments)
        }
    }

    private func termination(of outcome: ChildOutcome, stderr: String) -> SandboxTermination {
        if outcome.timedOut { return .timedOut }
        var signal = outcome.signal
        var status = outcome.exitStatus ?? 0
        // bwrap and unshare report a child killed by signal N as exit status 128 + N.
        if signal == nil, isolation != .processOnly, status > 128, status < 128 + 32 {
            signal = status - 128
            status = 0
        }
        let outOfMemory = stderr.contains("MemoryError") || stderr.contains("Cannot allocate memory")
            || stderr.contains("std::bad_alloc")
        if let signal {
            if signal == SIGXCPU { return .cpuLimit }
            if outOfMemory { return .memoryLimit }
            return .signalled(signal)
        }
        if status != 0, outOfMemory { return .memoryLimit }
        return .exited(status)
    }
}
