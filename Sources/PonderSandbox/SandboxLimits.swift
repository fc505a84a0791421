/// How much a sandboxed program may use. A plain validated value: the initializer throws
/// `SandboxError.invalidLimits` for anything out of range, so a `SandboxLimits` is always usable.
///
/// ```swift
/// let limits = try SandboxLimits(wallSeconds: 5, cpuSeconds: 2, memoryBytes: 256 << 20)
/// ```
public struct SandboxLimits: Sendable, Hashable {
    /// Wall-clock time in seconds before the whole process tree is killed; 0.1 to 3600.
    public let wallSeconds: Double
    /// CPU time in seconds (`RLIMIT_CPU`); 1 to 3600. The program gets `SIGXCPU` at this limit.
    public let cpuSeconds: Int
    /// Address-space size in bytes (`RLIMIT_AS`); 32 MiB to 64 GiB.
    public let memoryBytes: Int
    /// Bytes kept of each of stdout and stderr; the rest is dropped and the result marked truncated.
    /// 1 byte to 64 MiB.
    public let outputBytes: Int
    /// Largest file the program may write, in bytes (`RLIMIT_FSIZE`); 0 to 1 GiB.
    public let fileBytes: Int

    /// Validates and builds limits; defaults suit a short test program.
    public init(
        wallSeconds: Double = 10,
        cpuSeconds: Int = 5,
        memoryBytes: Int = 512 << 20,
        outputBytes: Int = 64 << 10,
        fileBytes: Int = 16 << 20
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
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.outputBytes = outputBytes
        self.fileBytes = fileBytes
    }

    /// 10 s wall, 5 s CPU, 512 MiB, 64 KiB of output per stream, 16 MiB files.
    public static let standard: SandboxLimits = try! SandboxLimits()
}
