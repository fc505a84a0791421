import ArgumentParser
import Foundation
import PonderSandbox

/// `ponder sandbox`: look at and use the code sandbox directly, for operators and the security check
/// (`scripts/security_sandbox.py`, docs/SECURITY.md).
struct SandboxToolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Check the code sandbox, or run a program in it.",
        subcommands: [SandboxCheckCommand.self, SandboxRunCommand.self])
}

/// `ponder sandbox check`: the level `--sandbox` chooses, every level's availability and why, the
/// protections and how memory is limited. Exits 1 when the chosen level cannot be set up.
struct SandboxCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Show which sandbox levels work here and what they protect.")

    @OptionGroup(title: "Code sandbox") var sandbox: SandboxOptions

    func run() async throws {
        for isolation in SandboxIsolation.allCases {
            let name = SandboxLevel(isolation).rawValue
            if let reason = Sandbox.unavailableReason(isolation) {
                print("level \(name): unavailable: \(reason)")
            } else {
                print("level \(name): available" + (isolation.isolatesFilesystem ? "" : " (no isolation)"))
            }
        }
        print("memory: \(Sandbox.memoryEnforcement)")
        let chosen: Sandbox
        do {
            chosen = try Sandbox(isolation: sandbox.level.isolation)
        } catch {
            print("chosen (\(sandbox.level.rawValue)): none")
            throw error
        }
        print("chosen (\(sandbox.level.rawValue)): \(SandboxLevel(chosen.isolation).rawValue)")
        print("protections: \(chosen.protections)")
        if let warning = chosen.warning { print(warning) }
    }
}

/// `ponder sandbox run FILE.py`: runs a Python file in the sandbox as the python tool would, prints
/// its stdout and stderr, then one line `termination: …; isolation: …` on stderr. Exits 0 when the
/// program exited with status 0, otherwise 1.
struct SandboxRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Python file in the code sandbox.")

    @Argument(help: "The Python file to run (its stdin is empty).")
    var file: String

    @Option(name: .long, help: "Wall-clock limit in seconds (0.1...3600).")
    var wall: Double = 10

    @Option(name: .long, help: "CPU-time limit in seconds (1...3600).")
    var cpu: Int = 5

    @Option(name: .long, help: "Memory limit in MiB (32...65536): the whole job under a cgroup, else per process.")
    var memory: Int = 512

    @Option(name: .long, help: "Size of each scratch tmpfs (working directory and /tmp) in MiB (1...16384).")
    var scratch: Int = 64

    @Option(name: .long, help: "Most processes and threads at once (1...4096).")
    var processes: Int = 64

    @OptionGroup(title: "Code sandbox") var sandbox: SandboxOptions

    func limits() throws -> SandboxLimits {
        try SandboxLimits(wallSeconds: wall, cpuSeconds: cpu, memoryBytes: memory << 20,
                          scratchBytes: scratch << 20, processes: processes)
    }

    mutating func validate() throws {
        do { _ = try limits() } catch { throw ValidationError("\(error)") }
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
    }

    func run() async throws {
        guard let source = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("\(file) is not UTF-8 text") }
        let sandbox = try sandbox.makeSandbox(limits: try limits())
        let result = try await sandbox.run(SandboxJob(program: .python(source)))
        FileHandle.standardOutput.write(Data(result.stdout.utf8))
        var notes = ""
        if result.stdoutTruncated { notes += "; stdout truncated" }
        if result.stderrTruncated { notes += "; stderr truncated" }
        Terminal.error(result.stderr + (result.stderr.isEmpty || result.stderr.hasSuffix("\n") ? "" : "\n")
            + "termination: \(result.termination.code); isolation: \(SandboxLevel(result.isolation).rawValue)\(notes)\n")
        if !result.succeeded { throw ExitCode(1) }
    }
}
