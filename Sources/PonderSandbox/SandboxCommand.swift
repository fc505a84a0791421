import Foundation

/// The launcher command line for one isolation level: `prlimit` for the resource limits, then
/// `bwrap` or `unshare` + `setpriv`, then the program.
struct SandboxCommand: Sendable {
    /// Where the job's directory appears inside a bubblewrap sandbox.
    static let mountPoint = "/sandbox"
    /// The user and group the program runs as (`nobody` on Debian).
    static let nobody = 65534

    var isolation: SandboxIsolation
    var limits: SandboxLimits
    var prlimit: String?

    func build(executable: String, arguments: [String], directory: String) -> (String, [String]) {
        var command: [String]
        switch isolation {
        case .bubblewrap:
            command = Self.bubblewrapArguments(directory: directory) + ["--", executable] + arguments
        case .namespaces:
            command = Self.namespaceArguments + [executable] + arguments
        case .processOnly:
            command = [executable] + arguments
        }
        if let prlimit {
            command = [
                prlimit,
                "--cpu=\(limits.cpuSeconds):\(limits.cpuSeconds + 1)",
                "--as=\(limits.memoryBytes)",
                "--fsize=\(limits.fileBytes)",
                "--nofile=256",
                "--core=0",
                "--",
            ] + command
        }
        return (command[0], Array(command.dropFirst()))
    }

    /// bwrap: every namespace, only `/usr` (read-only), a small private `/tmp`, `/proc`, a minimal
    /// `/dev` and the job directory; `nobody`, no capabilities, a new session (no terminal
    /// injection), killed with its parent.
    static func bubblewrapArguments(directory: String) -> [String] {
        var arguments = [
            SandboxProbe.bwrapPath, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
            "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "LANG", "C.UTF-8", "--setenv", "HOME", mountPoint,
            "--ro-bind", "/usr", "/usr",
        ]
        for top in ["bin", "sbin", "lib", "lib64", "lib32"] {
            let path = "/" + top
            if let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                arguments += ["--symlink", destination, path]
            } else if FileManager.default.fileExists(atPath: path) {
                arguments += ["--ro-bind", path, path]
            }
        }
        arguments += [
            "--proc", "/proc", "--dev", "/dev", "--size", "\(16 << 20)", "--tmpfs", "/tmp",
            "--bind", directory, mountPoint, "--chdir", mountPoint,
            "--uid", "\(nobody)", "--gid", "\(nobody)", "--cap-drop", "ALL",
        ]
        return arguments
    }

    /// unshare + setpriv: new network and PID namespaces, then `nobody` with no capabilities. A
    /// shell is the namespace's init and reports a signalled program as 128 + signal (unshare's own
    /// re-raise of the signal fails in containers and would leave only "exit 1").
    static let namespaceArguments: [String] = [
        SandboxProbe.unsharePath, "--net", "--pid", "--kill-child", "--",
        "/bin/sh", "-c", "\"$@\"; exit $?", "sandbox-init",
        SandboxProbe.setprivPath, "--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups",
        "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
    ]
}
