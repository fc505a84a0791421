/// Why the sandbox could not run a job. (A program that fails, times out or runs out of memory is
/// not an error: it is a `SandboxResult` with the matching `termination`.)
public enum SandboxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A limit is out of range; `expected` says what is allowed.
    case invalidLimits(name: String, value: String, expected: String)
    /// The isolation that was asked for does not work on this machine; `reason` says why.
    case isolationUnavailable(SandboxIsolation, reason: String)
    /// No interpreter at `path`.
    case interpreterNotFound(path: String)
    /// A job file name is not a plain relative name inside the sandbox directory.
    case invalidFileName(String)
    /// The temporary working directory could not be made or filled.
    case workDirectory(String)
    /// Starting the process failed; `errno` is the system error number.
    case spawnFailed(executable: String, errno: Int32)

    /// A one-line message for a person.
    public var description: String {
        switch self {
        case let .invalidLimits(name, value, expected):
            return "invalid sandbox limit \(name) \(value): expected \(expected)"
        case let .isolationUnavailable(isolation, reason):
            return "sandbox isolation \(isolation.rawValue) is not available here: \(reason)"
        case let .interpreterNotFound(path):
            return "no interpreter at \(path): install python3 or pass its path"
        case let .invalidFileName(name):
            return "sandbox file name \(name.debugDescription) must be a plain name without '/' or '..'"
        case let .workDirectory(reason):
            return "cannot prepare the sandbox directory: \(reason)"
        case let .spawnFailed(executable, errno):
            return "cannot start \(executable): system error \(errno)"
        }
    }
}
