/// How strongly the sandbox separates a program from the machine, strongest first. With no level
/// named, `Sandbox()` takes the strongest one that isolates the filesystem, or refuses
/// (`SandboxError.noIsolation`); `processOnly` is only ever used when asked for by name.
/// `protections` says exactly what each level gives; docs/SECURITY.md what it does not.
public enum SandboxIsolation: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Debian's `bubblewrap` (`bwrap`), started as `nobody` (so the program is `nobody` on the
    /// host too): new user (no further user namespaces), network, PID, IPC, UTS, cgroup and
    /// mount namespaces. The program sees only read-only `/usr` (and the `/bin`, `/lib`…
    /// links), a fresh `/proc`, a minimal `/dev` (null, zero, full, random, urandom) and two
    /// private size-limited `tmpfs` mounts, its working directory `/sandbox` (the job's files are
    /// copied in) and `/tmp`, which vanish with it. No capabilities, a new session, killed with
    /// its parent.
    case bubblewrap
    /// util-linux only: `unshare` (new network, PID, mount, IPC, UTS and cgroup namespaces) runs a
    /// small `/bin/sh` init that builds the same root as `bubblewrap` on a `tmpfs` (read-only
    /// `/usr`, fresh `/proc`, minimal `/dev`, private size-limited `/sandbox` and `/tmp`),
    /// `pivot_root`s into it and detaches the host's tree, then runs the program through `setpriv`
    /// as `nobody` with no capabilities, no groups and no new privileges. The init stays the
    /// namespace's PID 1, so every process of the job dies with it.
    case namespaces
    /// No isolation: a plain child process with a clean environment, its own session, resource
    /// limits and a fresh working directory on the host. It sees and may write everything its user
    /// may (as root: the whole machine), and has the network. Only used when asked for by name.
    case processOnly

    /// Whether the level gives the program a private filesystem (bubblewrap and namespaces).
    public var isolatesFilesystem: Bool { self != .processOnly }

    /// The protections this level gives by itself. The limits that need util-linux `prlimit` or a
    /// per-job cgroup are added by `Sandbox.protections`, which is what a run really has.
    public var protections: SandboxProtections {
        let base: SandboxProtections = [.cleanEnvironment, .wallClockLimit, .temporaryDirectory, .noTerminal, .diesWithParent]
        switch self {
        case .bubblewrap, .namespaces:
            return base.union([.noNetwork, .processNamespace, .unprivileged, .filesystemIsolation, .scratchLimit])
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
    /// The whole process tree is killed at the wall-clock limit, or when the calling task is cancelled.
    public static let wallClockLimit = SandboxProtections(rawValue: 1 << 1)
    /// A fresh working directory for each run, removed afterwards.
    public static let temporaryDirectory = SandboxProtections(rawValue: 1 << 2)
    /// CPU time, file size, open files and processes are limited, and memory per process when no
    /// cgroup limits the job (`prlimit`).
    public static let resourceLimits = SandboxProtections(rawValue: 1 << 3)
    /// A new network namespace with no interfaces up: every connection fails, abstract Unix
    /// sockets of the host are out of reach.
    public static let noNetwork = SandboxProtections(rawValue: 1 << 4)
    /// A new PID namespace: the program sees and signals only its own processes, and all of them
    /// die with the job.
    public static let processNamespace = SandboxProtections(rawValue: 1 << 5)
    /// Runs as `nobody` with no capabilities.
    public static let unprivileged = SandboxProtections(rawValue: 1 << 6)
    /// A private root: read-only `/usr`, fresh `/proc`, minimal `/dev`, private scratch; nothing
    /// else of the host (no `/etc`, `/home`, `/root`, host `/tmp`) exists, and nothing is written
    /// on the host.
    public static let filesystemIsolation = SandboxProtections(rawValue: 1 << 7)
    /// The writable places (working directory and `/tmp`) are `tmpfs` mounts of at most
    /// `SandboxLimits.scratchBytes` each.
    public static let scratchLimit = SandboxProtections(rawValue: 1 << 8)
    /// A per-job cgroup limits the memory of all the job's processes together (and what they keep
    /// in their scratch `tmpfs`).
    public static let jobMemoryLimit = SandboxProtections(rawValue: 1 << 9)
    /// A per-job cgroup limits the number of the job's processes (`pids.max`): fork bombs stop.
    public static let jobProcessLimit = SandboxProtections(rawValue: 1 << 10)
    /// A new session with no controlling terminal: nothing can be typed into the caller's terminal.
    public static let noTerminal = SandboxProtections(rawValue: 1 << 11)
    /// The job's processes are killed when the calling process dies, even by SIGKILL.
    public static let diesWithParent = SandboxProtections(rawValue: 1 << 12)

    static let names: [(SandboxProtections, String)] = [
        (.cleanEnvironment, "clean environment"), (.wallClockLimit, "wall-clock limit"),
        (.temporaryDirectory, "temporary directory"), (.resourceLimits, "CPU/file/process limits"),
        (.noNetwork, "no network"), (.processNamespace, "own PID namespace"),
        (.unprivileged, "runs as nobody"), (.filesystemIsolation, "filesystem isolation"),
        (.scratchLimit, "size-limited scratch"), (.jobMemoryLimit, "job memory cgroup"),
        (.jobProcessLimit, "job pids cgroup"), (.noTerminal, "no terminal"), (.diesWithParent, "dies with parent"),
    ]

    /// The protections by name, comma-separated.
    public var description: String {
        Self.names.filter { contains($0.0) }.map(\.1).joined(separator: ", ")
    }
}
