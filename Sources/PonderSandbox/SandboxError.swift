/// Why the sandbox could not run a job. (A program that fails, times out or runs out of memory is
/// not an error: it is a `SandboxResult` with the matching `termination`.)
public enum SandboxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A limit is out of range; `expected` says what is allowed.
    case invalidLimits(name: String, value: String, expected: String)
    /// The isolation that was asked for does not work on this machine; `reason` says why.
    case isolationUnavailable(SandboxIsolation, reason: String)
    /// No isolation was named and no level that isolates the filesystem works here; `reasons`
    /// says what is missing for each. `processOnly` must be asked for by name.
    case noIsolation(reasons: String)
    /// No interpreter at `path`.
    case interpreterNotFound(path: String)
    /// A job file name is not a plain relative name inside the sandbox directory.
    case invalidFileName(String)
    /// The temporary staging directory could not be made or filled.
    case workDirectory(String)
    /// Starting the process failed; `errno` is the system error number.
    case spawnFailed(executable: String, errno: Int32)
    /// The isolation was set up but failed for this job (a mount, the job's cgroup, copying its
    /// files into the scratch directory); `reason` is the launcher's message.
    case setupFailed(reason: String)
    /// The calling task was cancelled; the job's whole process tree was killed.
    case cancelled

    /// A one-line message for a person.
    public var description: String {
        switch self {
        case let .invalidLimits(name, value, expected):
            return "invalid sandbox limit \(name) \(value): expected \(expected)"
        case let .isolationUnavailable(isolation, reason):
            return "sandbox isolation \(isolation.rawValue) is not available here: \(reason)"
        case let .noIsolation(reasons):
            return "no isolating sandbox here: \(reasons)"
        case let .interpreterNotFound(path):
            return "no interpreter at \(path): install python3 or pass its path"
        case let .invalidFileName(name):
            return "sandbox file name \(name.debugDescription) must be a plain name without '/' or '..'"
        case let .workDirectory(reason):
            return "cannot prepare the sandbox directory: \(reason)"
        case let .spawnFailed(executable, errno):
            return "cannot start \(executable): system error \(errno)"
        case let .setupFailed(reason):
            return "the sandbox could not be set up for this job: \(reason)"
        case .cancelled:
            return "the sandboxed run was cancelled"
        }
    }
}
