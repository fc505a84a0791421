import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The programs the sandbox is built from; `standard` are Debian's paths. Tests point one at a
/// missing file to see the sandbox refuse.
struct SandboxTools: Sendable, Hashable {
    var bwrap = "/usr/bin/bwrap"
    var unshare = "/usr/bin/unshare"
    var setpriv = "/usr/bin/setpriv"
    var prlimit = "/usr/bin/prlimit"
    var shell = "/bin/sh"

    static let standard = SandboxTools()
}

/// What to spawn for one job.
struct SandboxLaunch: Sendable {
    var executable: String
    var arguments: [String]
    /// The launcher's working directory (the staging directory for `namespaces`).
    var workingDirectory: String
    /// `HOME` for the program.
    var home: String
}

/// The launcher command line for one job. Every level: a `/bin/sh` that joins the job's cgroups
/// (when there are any) before it execs anything, `prlimit` for the per-process limits, then
/// `setpriv --pdeathsig=KILL` so the chain dies with Ponder, then the isolation:
/// - `bubblewrap`: as root, `setpriv` drops to `nobody` first, so bwrap makes an unprivileged
///   user namespace and the program is `nobody` on the host as well (as root, bwrap would map the
///   program to host root); as another user, bwrap runs as that user;
/// - `namespaces`: `unshare` runs `SandboxInit.script` as the new namespaces' PID 1;
/// - `processOnly`: the program itself.
struct SandboxCommand: Sendable {
    /// Where the job's directory appears inside an isolating sandbox.
    static let mountPoint = "/sandbox"
    /// The user and group the program runs as (`nobody` and `nogroup` on Debian).
    static let nobody = 65534
    /// Processes of the sandbox's own in a job (bwrap's monitor and init, or unshare and its init),
    /// added to `SandboxLimits.processes` for the cgroup's `pids.max`.
    static let launcherProcesses = 3
    /// The first line a launcher writes on stderr, with exit status 125, when it cannot set up.
    static let setupMarker = "ponder-sandbox-setup: "

    var isolation: SandboxIsolation
    var limits: SandboxLimits
    var tools: SandboxTools
    var hasPrlimit: Bool
    var hasSetpriv: Bool
    var cgroup: SandboxCgroup?

    /// The launch of `executable arguments` for a job staged in `directory`; with bubblewrap the
    /// job's files come in as descriptors 3, 4, … in `directory.fileNames` order.
    func build(executable: String, arguments: [String], directory: SandboxDirectory) -> SandboxLaunch {
        var command: [String] = []
        if let cgroup, !cgroup.procsFiles.isEmpty {
            let joins = cgroup.procsFiles.map { "echo $$ > '\($0)'" }.joined(separator: " && ")
            command += [tools.shell, "-c",
                        "\(joins) || { echo '\(Self.setupMarker)cannot join the job cgroup' >&2; exit 125; }; exec \"$@\"",
                        "ponder-sandbox-launch"]
        }
        if hasPrlimit { command += prlimitArguments }
        let pdeathsig = hasSetpriv ? [tools.setpriv, "--pdeathsig=KILL", "--"] : []
        switch isolation {
        case .bubblewrap:
            // Unprivileged, Ponder's own user goes in (bwrap maps it to nobody inside).
            let drop = geteuid() == 0 ? Self.dropToNobody : ["--no-new-privs"]
            command += [tools.setpriv] + drop + ["--pdeathsig=KILL", "--", tools.bwrap]
                + Self.bubblewrapArguments(limits: limits, files: directory.fileNames) + ["--", executable] + arguments
            return SandboxLaunch(executable: command[0], arguments: Array(command.dropFirst()), workingDirectory: "/", home: Self.mountPoint)
        case .namespaces:
            command += pdeathsig + Self.unshareArguments(tools: tools)
                + ["\(limits.scratchBytes)", executable] + arguments
            return SandboxLaunch(executable: command[0], arguments: Array(command.dropFirst()), workingDirectory: directory.path, home: Self.mountPoint)
        case .processOnly:
            command += pdeathsig + [executable] + arguments
            return SandboxLaunch(executable: command[0], arguments: Array(command.dropFirst()), workingDirectory: directory.jobPath, home: directory.jobPath)
        }
    }

    /// Per-process limits. With a job memory cgroup there is no address-space limit (it would only
    /// break programs that reserve more than they use); with a pids cgroup `RLIMIT_NPROC`, which
    /// counts every `nobody` process on the machine, is only a wide backstop.
    private var prlimitArguments: [String] {
        let ownProcesses = limits.processes + Self.launcherProcesses
        let processesByCgroup = cgroup?.pidsDirectory != nil
        var arguments = [
            tools.prlimit,
            "--cpu=\(limits.cpuSeconds):\(limits.cpuSeconds + 1)",
            "--fsize=\(limits.fileBytes)",
            "--nofile=256",
            "--core=0",
            "--nproc=\(processesByCgroup ? ownProcesses * 8 : ownProcesses)",
        ]
        if cgroup?.memoryDirectory == nil { arguments.append("--as=\(limits.memoryBytes)") }
        return arguments + ["--"]
    }

    /// setpriv's options that make the rest of the command `nobody`, with no groups, no
    /// capabilities (none inheritable, an empty bounding set) and no way to gain privileges.
    static let dropToNobody = [
        "--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
    ]

    /// The host's top-level links and directories that lead into `/usr` (`/bin`, `/lib`…), as
    /// (name, link target or nil for a real directory); what is absent is left out.
    static let topLevel: [(name: String, target: String?)] = ["bin", "sbin", "lib", "lib64", "lib32", "libx32"].compactMap { name in
        let path = "/" + name
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) { return (name, target) }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? (name, nil) : nil
    }

    /// The device nodes the program gets.
    static let devices = ["null", "zero", "full", "random", "urandom"]

    /// bwrap (run as `nobody`): every namespace, a user namespace that cannot make more, a read-only
    /// root holding `/usr` (read-only), a fresh `/proc`, a minimal read-only `/dev`, and two
    /// size-limited `tmpfs` mounts, `/tmp` and `/sandbox` (the job's files copied in from
    /// descriptors 3, 4, …); `nobody`, no capabilities, a new session, killed with its parent.
    static func bubblewrapArguments(limits: SandboxLimits, files: [String]) -> [String] {
        var arguments = [
            "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--clearenv",
            "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "LANG", "C.UTF-8", "--setenv", "HOME", mountPoint,
            "--hostname", "ponder-sandbox", "--ro-bind", "/usr", "/usr",
        ]
        for (name, target) in topLevel {
            arguments += target.map { ["--symlink", $0, "/" + name] } ?? ["--ro-bind", "/" + name, "/" + name]
        }
        arguments += ["--proc", "/proc", "--perms", "0755", "--tmpfs", "/dev"]
        for device in devices { arguments += ["--dev-bind", "/dev/" + device, "/dev/" + device] }
        arguments += ["--symlink", "/proc/self/fd", "/dev/fd", "--symlink", "/proc/self/fd/0", "/dev/stdin",
                      "--symlink", "/proc/self/fd/1", "/dev/stdout", "--symlink", "/proc/self/fd/2", "/dev/stderr",
                      "--remount-ro", "/dev",
                      "--size", "\(limits.scratchBytes)", "--perms", "1777", "--tmpfs", "/tmp",
                      "--size", "\(limits.scratchBytes)", "--perms", "0755", "--tmpfs", mountPoint]
        for (index, name) in files.enumerated() {
            arguments += ["--perms", "0644", "--file", "\(3 + index)", mountPoint + "/" + name]
        }
        arguments += ["--remount-ro", "/", "--chdir", mountPoint,
                      "--uid", "\(nobody)", "--gid", "\(nobody)", "--cap-drop", "ALL"]
        return arguments
    }

    /// unshare: new network, PID, mount, IPC, UTS and cgroup namespaces, with `SandboxInit.script`
    /// as the PID namespace's init (killed if unshare dies). Followed by the scratch size in bytes,
    /// then the program and its arguments.
    static func unshareArguments(tools: SandboxTools) -> [String] {
        [tools.unshare, "--net", "--pid", "--mount", "--ipc", "--uts", "--cgroup", "--fork", "--kill-child", "--",
         tools.shell, "-c", SandboxInit.script(setpriv: tools.setpriv), "ponder-sandbox-init"]
    }
}
