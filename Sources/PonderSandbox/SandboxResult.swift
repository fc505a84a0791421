import Foundation

/// How a sandboxed program ended.
public enum SandboxTermination: Sendable, Hashable, CustomStringConvertible {
    /// It exited by itself with this status (0 is success).
    case exited(Int32)
    /// It ran past the wall-clock limit and its whole process tree was killed.
    case timedOut
    /// It used up its CPU-time limit.
    case cpuLimit
    /// It ran out of its memory limit: a Python `MemoryError` (or another allocation failure), or
    /// the job's memory cgroup killed one of its processes.
    case memoryLimit
    /// It was killed by this signal for another reason.
    case signalled(Int32)

    /// A short stable name for scripts: `exited 0`, `timed-out`, `cpu-limit`, `memory-limit`,
    /// `signal 9`.
    public var code: String {
        switch self {
        case let .exited(status): return "exited \(status)"
        case .timedOut: return "timed-out"
        case .cpuLimit: return "cpu-limit"
        case .memoryLimit: return "memory-limit"
        case let .signalled(signal): return "signal \(signal)"
        }
    }

    /// A few words for a person.
    public var description: String {
        switch self {
        case let .exited(status): return "exited with status \(status)"
        case .timedOut: return "killed at the wall-clock limit"
        case .cpuLimit: return "stopped at the CPU-time limit"
        case .memoryLimit: return "stopped at the memory limit"
        case let .signalled(signal): return "killed by signal \(signal)"
        }
    }
}

/// What a sandboxed run produced.
public struct SandboxResult: Sendable, Hashable {
    /// How it ended.
    public var termination: SandboxTermination
    /// Standard output, at most `SandboxLimits.outputBytes` bytes (invalid UTF-8 repaired).
    public var stdout: String
    /// Standard error, at most `SandboxLimits.outputBytes` bytes.
    public var stderr: String
    /// Whether stdout was cut at the limit.
    public var stdoutTruncated: Bool
    /// Whether stderr was cut at the limit.
    public var stderrTruncated: Bool
    /// Wall-clock seconds from start to end.
    public var wallSeconds: Double
    /// The isolation the run had.
    public var isolation: SandboxIsolation

    /// True when the program exited by itself with status 0.
    public var succeeded: Bool { termination == .exited(0) }
}
