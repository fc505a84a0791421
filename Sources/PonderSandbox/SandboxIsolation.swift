/// How strongly the sandbox separates a program from the machine, strongest first. The sandbox
/// picks the strongest level that works here (`SandboxIsolation.best`) unless told otherwise, and
/// `protections` says exactly what each level gives.
public enum SandboxIsolation: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Debian's `bubblewrap` (`bwrap`): new user, network, PID, IPC, UTS and mount namespaces; the
    /// program sees only read-only `/usr`, a private `/tmp`, and its own directory; runs as
    /// `nobody` with no capabilities; dies with its parent.
    case bubblewrap
    /// util-linux `unshare` (new network and PID namespaces) and `setpriv` (runs as `nobody`, no
    /// capabilities, no groups): no network, and files that only root may read or write stay out
    /// of reach, but world-readable files are visible.
    case namespaces
    /// A plain child process: clean environment, own process group, resource limits, own
    /// directory as working directory. No network or filesystem isolation.
    case processOnly

    /// The protections this level gives (resource limits also need util-linux `prlimit`).
    public var protections: SandboxProtections {
        let base: SandboxProtections = [.cleanEnvironment, .wallClockLimit, .temporaryDirectory]
        switch self {
        case .bubblewrap:
            return base.union([.noNetwork, .processNamespace, .unprivileged, .filesystemIsolation])
        case .namespaces:
            return base.union([.noNetwork, .processNamespace, .unprivileged])
        case .processOnly:
            return base
        }
    }

    /// The name, for reports.
    public var description: String { rawValue }
}

/// The separate protections a sandboxed run can have.
public struct SandboxProtections: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The raw bits.
    public let rawValue: Int
    /// Creates a set from raw bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Only `PATH`, `LANG` and `HOME` are set; nothing is inherited from the parent.
    public static let cleanEnvironment = SandboxProtections(rawValue: 1 << 0)
    /// The whole process tree is killed at the wall-clock limit.
    public static let wallClockLimit = SandboxProtections(rawValue: 1 << 1)
    /// A fresh temporary working directory, removed afterwards.
    public static let temporaryDirectory = SandboxProtections(rawValue: 1 << 2)
    /// CPU time, address space, file size and open files are limited (`prlimit`).
    public static let resourceLimits = SandboxProtections(rawValue: 1 << 3)
    /// A new network namespace with no interfaces up: every connection fails.
    public static let noNetwork = SandboxProtections(rawValue: 1 << 4)
    /// A new PID namespace: the program sees and signals only its own processes.
    public static let processNamespace = SandboxProtections(rawValue: 1 << 5)
    /// Runs as `nobody` with no capabilities.
    public static let unprivileged = SandboxProtections(rawValue: 1 << 6)
    /// Sees only read-only system files and its own directory; nothing else can be read or written.
    public static let filesystemIsolation = SandboxProtections(rawValue: 1 << 7)

    static let names: [(SandboxProtections, String)] = [
        (.cleanEnvironment, "clean environment"), (.wallClockLimit, "wall-clock limit"),
        (.temporaryDirectory, "temporary directory"), (.resourceLimits, "CPU/memory/file limits"),
        (.noNetwork, "no network"), (.processNamespace, "own PID namespace"),
        (.unprivileged, "runs as nobody"), (.filesystemIsolation, "filesystem isolation"),
    ]

    /// The protections by name, comma-separated.
    public var description: String {
        Self.names.filter { contains($0.0) }.map(\.1).joined(separator: ", ")
    }
}
