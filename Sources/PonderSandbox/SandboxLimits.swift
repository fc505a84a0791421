/// How much a sandboxed program may use. A plain validated value: the initializer throws
/// `SandboxError.invalidLimits` for anything out of range, so a `SandboxLimits` is always usable.
///
/// ```swift
/// let limits = try SandboxLimits(wallSeconds: 5, cpuSeconds: 2, memoryBytes: 256 << 20)
/// ```
public struct SandboxLimits: Sendable, Hashable {
    /// Wall-clock time in seconds before the whole process tree is killed; 0.1 to 3600.
    public let wallSeconds: Double
    /// CPU time in seconds (`RLIMIT_CPU`, per process); 1 to 3600. The program gets `SIGXCPU` at
    /// this limit.
    public let cpuSeconds: Int
    /// Memory in bytes; 32 MiB to 64 GiB. For the whole job (every process, and what it writes to
    /// its scratch directories) when a per-job cgroup can be made (`SandboxMemoryEnforcement`),
    /// otherwise the address-space size of each process (`RLIMIT_AS`).
    public let memoryBytes: Int
    /// Bytes kept of each of stdout and stderr; the rest is dropped and the result marked truncated.
    /// 1 byte to 64 MiB.
    public let outputBytes: Int
    /// Largest file the program may write, in bytes (`RLIMIT_FSIZE`); 0 to 1 GiB.
    public let fileBytes: Int
    /// Size in bytes of each private scratch filesystem of an isolating level (its working
    /// directory and its `/tmp`, each a `tmpfs`): 1 MiB to 16 GiB. The job's files must fit in it.
    public let scratchBytes: Int
    /// Most processes and threads the program may have at once, 1 to 4096: the per-job cgroup's
    /// `pids.max` (plus the sandbox's own few launcher processes) when one can be made, and
    /// `RLIMIT_NPROC` (which counts every process of the `nobody` user on the machine, so
    /// concurrent runs share it; with a cgroup it is only a wide backstop).
    public let processes: Int

    /// Validates and builds limits; defaults suit a short test program.
    public init(
        wallSeconds: Double = 10,
        cpuSeconds: Int = 5,
        memoryBytes: Int = 512 << 20,
        outputBytes: Int = 64 << 10,
        fileBytes: Int = 16 << 20,
        scratchBytes: Int = 64 << 20,
        processes: Int = 64
    ) throws(SandboxError) {
        guard wallSeconds.isFinite, wallSeconds >= 0.1, wallSeconds <= 3600 else {
            throw .invalidLimits(name: "wallSeconds", value: "\(wallSeconds)", expected: "0.1 to 3600 seconds")
        }
        guard (1...3600).contains(cpuSeconds) else {
            throw .invalidLimits(name: "cpuSeconds", value: "\(cpuSeconds)", expected: "1 to 3600 seconds")
        }
        guard memoryBytes >= 32 << 20, memoryBytes <= 64 << 30 else {
            throw .invalidLimits(name: "memoryBytes", value: "\(memoryBytes)", expected: "32 MiB to 64 GiB")
        }
        guard (1...(64 << 20)).contains(outputBytes) else {
            throw .invalidLimits(name: "outputBytes", value: "\(outputBytes)", expected: "1 byte to 64 MiB")
        }
        guard (0...(1 << 30)).contains(fileBytes) else {
            throw .invalidLimits(name: "fileBytes", value: "\(fileBytes)", expected: "0 to 1 GiB")
        }
        guard ((1 << 20)...(16 << 30)).contains(scratchBytes) else {
            throw .invalidLimits(name: "scratchBytes", value: "\(scratchBytes)", expected: "1 MiB to 16 GiB")
        }
        guard (1...4096).contains(processes) else {
            throw .invalidLimits(name: "processes", value: "\(processes)", expected: "1 to 4096")
        }
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.outputBytes = outputBytes
        self.fileBytes = fileBytes
        self.scratchBytes = scratchBytes
        self.processes = processes
    }

    /// 10 s wall, 5 s CPU, 512 MiB, 64 KiB of output per stream, 16 MiB files, 64 MiB scratch,
    /// 64 processes.
    public static let standard: SandboxLimits = try! SandboxLimits()
}
