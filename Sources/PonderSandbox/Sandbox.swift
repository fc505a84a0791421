import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs untrusted code (model-written programs, HumanEval candidates) in a separate, limited
/// process tree: by default in a private filesystem (`SandboxIsolation.bubblewrap` or
/// `.namespaces`) as `nobody`, without network, with CPU, memory, process, file, scratch and
/// output limits, a wall-clock limit and cancellation that kill the whole tree, and nothing left
/// behind on the host. docs/SECURITY.md has the threat model and what each level does not cover.
///
/// ```swift
/// let sandbox = try Sandbox(limits: try SandboxLimits(wallSeconds: 5))   // throws when nothing isolates here
/// let result = try await sandbox.run(SandboxJob(program: .python("print(6 * 7)")))
/// // result.termination == .exited(0), result.stdout == "42\n", result.isolation == .bubblewrap
/// print(sandbox.report)   // "sandbox: bubblewrap (…); memory: job cgroup v1 (memory.limit_in_bytes)"
/// ```
public struct Sandbox: Sendable {
    /// The limits every run gets.
    public let limits: SandboxLimits
    /// The isolation every run gets.
    public let isolation: SandboxIsolation
    /// The Python interpreter for `.python` programs. With an isolating level it (like any
    /// `.executable`) must live under `/usr`, the only part of the host the program sees.
    public let pythonPath: String
    private let probe: SandboxProbe

    /// Builds a sandbox. With `isolation` nil the strongest level that isolates the filesystem is
    /// chosen (bubblewrap, then namespaces); when neither works here it throws `.noIsolation`
    /// naming what is missing; it never falls back to `processOnly`, which must be named. Naming
    /// a level that does not work throws `.isolationUnavailable`.
    public init(
        limits: SandboxLimits = .standard,
        isolation: SandboxIsolation? = nil,
        pythonPath: String = "/usr/bin/python3"
    ) throws(SandboxError) {
        try self.init(limits: limits, isolation: isolation, pythonPath: pythonPath, probe: .shared)
    }

    /// `init` over a chosen probe (tests probe missing tools).
    init(limits: SandboxLimits, isolation: SandboxIsolation?, pythonPath: String, probe: SandboxProbe) throws(SandboxError) {
        if let isolation {
            if let reason = probe.unavailableReason(isolation) { throw .isolationUnavailable(isolation, reason: reason) }
            self.isolation = isolation
        } else {
            guard let best = probe.bestIsolating else { throw .noIsolation(reasons: probe.refusal) }
            self.isolation = best
        }
        self.limits = limits
        self.pythonPath = pythonPath
        self.probe = probe
    }

    /// The strongest level that isolates the filesystem here (what `Sandbox()` uses), or nil when
    /// none does.
    public static var bestIsolation: SandboxIsolation? { SandboxProbe.shared.bestIsolating }

    /// Every isolation level that works on this machine, strongest first (`processOnly` always does).
    public static var availableIsolations: [SandboxIsolation] {
        SandboxIsolation.allCases.filter { SandboxProbe.shared.unavailableReason($0) == nil }
    }

    /// Why `isolation` does not work here, or nil when it does.
    public static func unavailableReason(_ isolation: SandboxIsolation) -> String? {
        SandboxProbe.shared.unavailableReason(isolation)
    }

    /// How `SandboxLimits.memoryBytes` is enforced on this machine.
    public static var memoryEnforcement: SandboxMemoryEnforcement { SandboxProbe.shared.memoryEnforcement }

    /// How this sandbox enforces `limits.memoryBytes`.
    public var memoryEnforcement: SandboxMemoryEnforcement { probe.memoryEnforcement }

    /// What each run of this sandbox is protected by.
    public var protections: SandboxProtections {
        var protections = isolation.protections
        if probe.hasPrlimit { protections.insert(.resourceLimits) }
        if probe.cgroups.memoryEnforced { protections.insert(.jobMemoryLimit) }
        if probe.cgroups.processesEnforced { protections.insert(.jobProcessLimit) }
        if !probe.hasSetpriv { protections.remove(.diesWithParent) }
        return protections
    }

    /// A loud one-line warning when runs are not isolated (`processOnly`), nil otherwise.
    public var warning: String? {
        guard !isolation.isolatesFilesystem else { return nil }
        return "WARNING: sandbox \(isolation) does not isolate: programs run as Ponder's user (uid \(getuid())) "
            + "and can read and write its files and use the network"
    }

    /// A one-line account of the isolation, protections and memory enforcement, for logs and
    /// reports; it carries `warning` when there is one.
    public var report: String {
        var text = "sandbox: \(isolation) (\(protections)); memory: \(memoryEnforcement)"
        if let warning { text += "; " + warning }
        return text
    }

    /// Runs one job and returns how it ended. Throws when the job could not be started or set up,
    /// and `.cancelled` when the calling task is cancelled (the job's whole process tree is killed
    /// within about 50 ms, and nothing is left behind); a failing, looping or allocating program
    /// is a result. The blocking work runs on a dedicated thread, not on the cooperative pool.
    public func run(_ job: SandboxJob) async throws(SandboxError) -> SandboxResult {
        let sandbox = self
        let cancellation = ChildCancellation()
        let outcome: Result<SandboxResult, SandboxError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    do throws(SandboxError) {
                        continuation.resume(returning: .success(try sandbox.runBlocking(job, cancellation: cancellation)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
                thread.name = "ponder-sandbox"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try outcome.get()
    }

    /// Runs one job on the calling thread (blocking).
    func runBlocking(_ job: SandboxJob, cancellation: ChildCancellation = ChildCancellation()) throws(SandboxError) -> SandboxResult {
        let (executable, programArguments) = try resolve(job.program)
        var files = job.files
        if case let .python(source) = job.program { files[SandboxDirectory.pythonMain] = Data(source.utf8) }
        if cancellation.isCancelled { throw .cancelled }
        let directory = try SandboxDirectory(files: files)
        defer { directory.remove() }
        let cgroup = try probe.cgroups.makeJob(limits: limits)
        defer { cgroup?.remove() }
        let descriptors = isolation == .bubblewrap ? try directory.openFiles() : []
        defer { descriptors.forEach { close($0) } }
        let command = SandboxCommand(isolation: isolation, limits: limits, tools: probe.tools,
                                     hasPrlimit: probe.hasPrlimit, hasSetpriv: probe.hasSetpriv, cgroup: cgroup)
        let launch = command.build(executable: executable, arguments: programArguments, directory: directory)
        let outcome = try ChildProcess.run(
            executable: launch.executable, arguments: launch.arguments,
            environment: ["PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=\(launch.home)"],
            workingDirectory: launch.workingDirectory, stdin: Array(job.stdin),
            outputLimit: limits.outputBytes, wallSeconds: limits.wallSeconds,
            inheritedFiles: descriptors, cancellation: cancellation
        )
        if outcome.cancelled { throw .cancelled }
        let stderr = String(decoding: outcome.stderr, as: UTF8.self)
        if outcome.exitStatus == 125, stderr.hasPrefix(SandboxCommand.setupMarker) {
            let line = stderr.split(separator: "\n").first.map(String.init) ?? stderr
            throw .setupFailed(reason: String(line.dropFirst(SandboxCommand.setupMarker.count)))
        }
        return SandboxResult(
            termination: termination(of: outcome, stderr: stderr, oomKills: cgroup?.oomKills ?? 0),
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

    private func termination(of outcome: ChildOutcome, stderr: String, oomKills: Int) -> SandboxTermination {
        if outcome.timedOut { return .timedOut }
        var signal = outcome.signal
        var status = outcome.exitStatus ?? 0
        // bwrap's and our init shell report a child killed by signal N as exit status 128 + N.
        if signal == nil, isolation.isolatesFilesystem, status > 128, status < 128 + 32 {
            signal = status - 128
            status = 0
        }
        // The job's cgroup killed a process for memory (SIGKILL, no message), or a process saw
        // an allocation fail.
        let outOfMemory = oomKills > 0 || stderr.contains("MemoryError") || stderr.contains("Cannot allocate memory")
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
