import Foundation

/// Finds out once per process which isolation levels work here, by running `/usr/bin/true`
/// under each one (a container may forbid namespaces even as root).
final class SandboxProbe: Sendable {
    static let shared = SandboxProbe()

    static let bwrapPath = "/usr/bin/bwrap"
    static let unsharePath = "/usr/bin/unshare"
    static let setprivPath = "/usr/bin/setpriv"
    static let prlimitPath = "/usr/bin/prlimit"
    static let truePath = "/usr/bin/true"

    /// `prlimit`, when installed.
    let prlimit: String?
    /// Why each level does not work; absent when it works.
    private let reasons: [SandboxIsolation: String]

    private init() {
        let fileManager = FileManager.default
        prlimit = fileManager.isExecutableFile(atPath: Self.prlimitPath) ? Self.prlimitPath : nil
        var reasons: [SandboxIsolation: String] = [:]
        if !fileManager.isExecutableFile(atPath: Self.bwrapPath) {
            reasons[.bubblewrap] = "\(Self.bwrapPath) is missing (apt-get install bubblewrap)"
        } else if let directory = try? SandboxDirectory(files: [:], ownedByNobody: false) {
            reasons[.bubblewrap] = Self.failure(of: SandboxCommand.bubblewrapArguments(directory: directory.path)
                + ["--", Self.truePath])
            directory.remove()
        } else {
            reasons[.bubblewrap] = "no temporary directory to probe with"
        }
        if !fileManager.isExecutableFile(atPath: Self.unsharePath) || !fileManager.isExecutableFile(atPath: Self.setprivPath) {
            reasons[.namespaces] = "\(Self.unsharePath) or \(Self.setprivPath) is missing (util-linux)"
        } else {
            reasons[.namespaces] = Self.failure(of: SandboxCommand.namespaceArguments + [Self.truePath])
        }
        self.reasons = reasons
    }

    /// Why `isolation` does not work, or nil.
    func unavailableReason(_ isolation: SandboxIsolation) -> String? { reasons[isolation] }

    /// The strongest level that works (`processOnly` always does).
    var best: SandboxIsolation {
        SandboxIsolation.allCases.first { reasons[$0] == nil } ?? .processOnly
    }

    /// Nil when the command exits 0, otherwise the first line of what it said.
    private static func failure(of command: [String]) -> String? {
        do {
            let outcome = try ChildProcess.run(
                executable: command[0], arguments: Array(command.dropFirst()), environment: ["PATH=/usr/bin:/bin"],
                workingDirectory: nil, stdin: [], outputLimit: 4096, wallSeconds: 10
            )
            if outcome.exitStatus == 0 { return nil }
            let message = String(decoding: outcome.stderr, as: UTF8.self)
                .split(separator: "\n").first.map(String.init) ?? "no message"
            return outcome.timedOut ? "the probe timed out" : "the probe failed: \(message)"
        } catch {
            return "the probe could not start: \(error)"
        }
    }
}
