import Foundation

/// Finds out which isolation levels work here by running `/usr/bin/true` through each level's
/// real launcher (a container may forbid namespaces or mounts even as root), and where per-job
/// cgroups can be made. `shared` probes the standard tools once per process; tests make their
/// own over missing tools to see the sandbox refuse.
final class SandboxProbe: Sendable {
    static let shared = SandboxProbe(tools: .standard)

    static let truePath = "/usr/bin/true"

    /// The programs the launchers use.
    let tools: SandboxTools
    /// Whether `prlimit` is installed (per-process limits).
    let hasPrlimit: Bool
    /// Whether `setpriv` is installed (needed by both isolating levels; `processOnly` uses it for
    /// the parent-death signal when present).
    let hasSetpriv: Bool
    /// Where per-job cgroups can be made.
    let cgroups: SandboxCgroupSupport
    /// Why each level does not work; absent when it works.
    private let reasons: [SandboxIsolation: String]

    init(tools: SandboxTools, cgroups: SandboxCgroupSupport? = nil) {
        self.tools = tools
        SandboxDirectory.removeStale()
        let fileManager = FileManager.default
        hasPrlimit = fileManager.isExecutableFile(atPath: tools.prlimit)
        hasSetpriv = fileManager.isExecutableFile(atPath: tools.setpriv)
        var reasons: [SandboxIsolation: String] = [:]
        if !fileManager.isExecutableFile(atPath: tools.bwrap) {
            reasons[.bubblewrap] = "\(tools.bwrap) is missing (apt-get install bubblewrap)"
        } else if !hasSetpriv {
            reasons[.bubblewrap] = "\(tools.setpriv) is missing (util-linux)"
        } else {
            reasons[.bubblewrap] = Self.failure(of: .bubblewrap, tools: tools)
        }
        if !fileManager.isExecutableFile(atPath: tools.unshare) || !hasSetpriv {
            reasons[.namespaces] = "\(tools.unshare) or \(tools.setpriv) is missing (util-linux)"
        } else {
            reasons[.namespaces] = Self.failure(of: .namespaces, tools: tools).map { "unshare --mount failed: \($0)" }
        }
        self.reasons = reasons
        self.cgroups = cgroups ?? .detect()
    }

    /// Why `isolation` does not work, or nil.
    func unavailableReason(_ isolation: SandboxIsolation) -> String? { reasons[isolation] }

    /// The strongest level that isolates the filesystem, or nil when none works.
    var bestIsolating: SandboxIsolation? {
        SandboxIsolation.allCases.first { $0.isolatesFilesystem && reasons[$0] == nil }
    }

    /// Why no isolating level works: each level's reason, on one line.
    var refusal: String {
        SandboxIsolation.allCases.filter(\.isolatesFilesystem)
            .map { "\($0): \(reasons[$0] ?? "works")" }.joined(separator: "; ")
    }

    /// How memory is limited here.
    var memoryEnforcement: SandboxMemoryEnforcement {
        switch cgroups.version {
        case .v2 where cgroups.memoryEnforced: return .cgroupV2
        case .v1 where cgroups.memoryEnforced: return .cgroupV1
        default: return hasPrlimit ? .addressSpace : .unenforced
        }
    }

    /// Nil when the level's launcher runs `true` and exits 0, otherwise the first line it said.
    /// Without `prlimit`: its `RLIMIT_NPROC` counts every `nobody` process on the machine, so a
    /// busy concurrent job could make the probe fail although the level works.
    private static func failure(of isolation: SandboxIsolation, tools: SandboxTools) -> String? {
        do {
            let directory = try SandboxDirectory(files: [:])
            defer { directory.remove() }
            let command = SandboxCommand(isolation: isolation, limits: .standard, tools: tools,
                                         hasPrlimit: false, hasSetpriv: true, cgroup: nil)
            let launch = command.build(executable: truePath, arguments: [], directory: directory)
            let outcome = try ChildProcess.run(
                executable: launch.executable, arguments: launch.arguments, environment: ["PATH=/usr/bin:/bin"],
                workingDirectory: launch.workingDirectory, stdin: [], outputLimit: 4096, wallSeconds: 10
            )
            if outcome.exitStatus == 0 { return nil }
            if outcome.timedOut { return "the probe timed out" }
            let message = String(decoding: outcome.stderr, as: UTF8.self)
                .split(separator: "\n").first.map(String.init) ?? "exit status \(outcome.exitStatus ?? -1), no message"
            return message.replacingOccurrences(of: SandboxCommand.setupMarker, with: "")
        } catch {
            return "the probe could not start: \(error)"
        }
    }
}
