import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How `SandboxLimits.memoryBytes` is enforced on this machine.
public enum SandboxMemoryEnforcement: String, Sendable, Hashable, CustomStringConvertible {
    /// A per-job cgroup v2 (`memory.max`, `memory.swap.max` 0): all the job's processes together.
    case cgroupV2
    /// A per-job cgroup v1 (`memory.limit_in_bytes`): all the job's processes together.
    case cgroupV1
    /// No cgroup could be made: each process's address space (`RLIMIT_AS`), so N processes may
    /// use N times the limit.
    case addressSpace
    /// Neither a cgroup nor `prlimit`: memory is not limited.
    case unenforced

    /// What enforces it, for reports.
    public var description: String {
        switch self {
        case .cgroupV2: return "job cgroup v2 (memory.max)"
        case .cgroupV1: return "job cgroup v1 (memory.limit_in_bytes)"
        case .addressSpace: return "per-process RLIMIT_AS (no writable cgroup)"
        case .unenforced: return "not enforced (no cgroup, no prlimit)"
        }
    }
}

/// Where per-job cgroups can be made: found once by making (and removing) a test cgroup next to
/// the process's own, so a job's limits count inside whatever already limits Ponder.
struct SandboxCgroupSupport: Sendable {
    enum Version: Sendable { case v1, v2 }

    let version: Version?
    /// The directory job cgroups for memory are made in (v2: both controllers).
    let memoryParent: String?
    /// The directory job cgroups for pids are made in (v1 only; v2 uses `memoryParent`).
    let pidsParent: String?

    static let none = SandboxCgroupSupport(version: nil, memoryParent: nil, pidsParent: nil)
    static let prefix = "ponder-sandbox-"
    private static let counter = Atomic<Int>(0)

    var memoryEnforced: Bool { memoryParent != nil }
    var processesEnforced: Bool { version == .v2 ? memoryParent != nil : pidsParent != nil }

    /// Detects what works under `root` (normally `/sys/fs/cgroup`).
    static func detect(root: String = "/sys/fs/cgroup", ownCgroups: String? = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) -> SandboxCgroupSupport {
        guard let ownCgroups else { return .none }
        var paths: [String: String] = [:]   // controller list ("" for v2) -> path
        for line in ownCgroups.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            paths[String(fields[1])] = String(fields[2])
        }
        if FileManager.default.fileExists(atPath: root + "/cgroup.controllers"), let own = paths[""] {
            let parent = join(root, own)
            enableControllers(in: parent)
            if works(parent, files: ["memory.max": "\(64 << 20)", "pids.max": "64"]) {
                removeStale(in: parent)
                return SandboxCgroupSupport(version: .v2, memoryParent: parent, pidsParent: nil)
            }
            return .none
        }
        func v1Parent(_ controller: String, _ probe: [String: String]) -> String? {
            guard let entry = paths.first(where: { $0.key.split(separator: ",").contains(Substring(controller)) }) else { return nil }
            let parent = join(root + "/" + entry.key, entry.value)
            guard works(parent, files: probe) else { return nil }
            removeStale(in: parent)
            return parent
        }
        let memory = v1Parent("memory", ["memory.limit_in_bytes": "\(64 << 20)"])
        let pids = v1Parent("pids", ["pids.max": "64"])
        guard memory != nil || pids != nil else { return .none }
        return SandboxCgroupSupport(version: .v1, memoryParent: memory, pidsParent: pids)
    }

    /// Makes the cgroup(s) for one job with its limits, or nil when cgroups are not used here.
    func makeJob(limits: SandboxLimits) throws(SandboxError) -> SandboxCgroup? {
        guard let version else { return nil }
        let name = Self.prefix + "\(getpid())-\(Self.counter.wrappingAdd(1, ordering: .relaxed).newValue)"
        let pidsMax = "\(limits.processes + SandboxCommand.launcherProcesses)"
        var job = SandboxCgroup(version: version, directories: [], memoryDirectory: nil, pidsDirectory: nil)
        do {
            switch version {
            case .v2:
                guard let parent = memoryParent else { return nil }
                let directory = try Self.make(parent + "/" + name)
                job.directories.append(directory)
                job.memoryDirectory = directory
                job.pidsDirectory = directory
                try Self.write("\(limits.memoryBytes)", to: directory + "/memory.max")
                _ = try? Self.write("0", to: directory + "/memory.swap.max")
                try Self.write(pidsMax, to: directory + "/pids.max")
            case .v1:
                if let parent = memoryParent {
                    let directory = try Self.make(parent + "/" + name)
                    job.directories.append(directory)
                    job.memoryDirectory = directory
                    try Self.write("\(limits.memoryBytes)", to: directory + "/memory.limit_in_bytes")
                    _ = try? Self.write("\(limits.memoryBytes)", to: directory + "/memory.memsw.limit_in_bytes")
                }
                if let parent = pidsParent {
                    let directory = try Self.make(parent + "/" + name)
                    job.directories.append(directory)
                    job.pidsDirectory = directory
                    try Self.write(pidsMax, to: directory + "/pids.max")
                }
            }
        } catch {
            job.remove()
            throw error
        }
        return job
    }

    private static func join(_ root: String, _ path: String) -> String {
        path == "/" ? root : root + path
    }

    private static func make(_ directory: String) throws(SandboxError) -> String {
        guard mkdir(directory, 0o755) == 0 else { throw .setupFailed(reason: "cannot make cgroup \(directory): system error \(errno)") }
        return directory
    }

    static func write(_ value: String, to file: String) throws(SandboxError) {
        let fd = open(file, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .setupFailed(reason: "cannot open \(file): system error \(errno)") }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        guard Glibc.write(fd, bytes, bytes.count) == bytes.count else { throw .setupFailed(reason: "cannot write \(file): system error \(errno)") }
    }

    /// Whether a test cgroup can be made under `parent` and given these limits.
    private static func works(_ parent: String, files: [String: String]) -> Bool {
        let directory = parent + "/" + prefix + "probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard mkdir(directory, 0o755) == 0 else { return false }
        defer { rmdir(directory) }
        for (file, value) in files {
            do { try write(value, to: directory + "/" + file) } catch { return false }
        }
        return FileManager.default.fileExists(atPath: directory + "/cgroup.procs")
    }

    /// v2: lets children of `parent` have memory and pids limits (fails, harmlessly, when the
    /// parent itself holds processes).
    private static func enableControllers(in parent: String) {
        let enabled = (try? String(contentsOfFile: parent + "/cgroup.subtree_control", encoding: .utf8)) ?? ""
        for controller in ["memory", "pids"] where !enabled.split(separator: " ").contains(Substring(controller)) {
            _ = try? write("+" + controller, to: parent + "/cgroup.subtree_control")
        }
    }

    /// Removes the empty job cgroups of Ponder processes that died before cleaning up (a SIGKILL).
    static func removeStale(in parent: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let owner = name.dropFirst(prefix.count).split(separator: "-").first.flatMap({ Int32($0) }) else { continue }
            if kill(owner, 0) == -1, errno == ESRCH { rmdir(parent + "/" + name) }
        }
    }
}

/// One job's cgroup(s): the launcher writes its own pid into `procsFiles` before it execs anything,
/// so every process of the job is counted; `remove()` kills what is left and deletes them.
struct SandboxCgroup: Sendable {
    let version: SandboxCgroupSupport.Version
    var directories: [String]
    /// The cgroup that limits the job's memory, if any.
    var memoryDirectory: String?
    /// The cgroup that limits the job's processes, if any.
    var pidsDirectory: String?

    /// The `cgroup.procs` files the launcher joins.
    var procsFiles: [String] { directories.map { $0 + "/cgroup.procs" } }

    /// How many processes the kernel's OOM killer ended in this job because of its memory limit.
    var oomKills: Int {
        guard let memoryDirectory else { return 0 }
        let file = memoryDirectory + (version == .v2 ? "/memory.events" : "/memory.oom_control")
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return Int(line.dropFirst("oom_kill ".count)) ?? 0
        }
        return 0
    }

    /// Kills every process still in the job (even one that left the process group and session)
    /// and removes the cgroups, waiting up to a second for the dying processes to be gone.
    func remove() {
        for directory in directories.reversed() {
            for _ in 0..<100 {
                killMembers(of: directory)
                if rmdir(directory) == 0 || errno == ENOENT { break }
                usleep(10_000)
            }
        }
    }

    private func killMembers(of directory: String) {
        guard let text = try? String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8) else { return }
        for pid in text.split(separator: "\n").compactMap({ Int32($0) }) where pid > 1 { kill(pid, SIGKILL) }
    }
}
