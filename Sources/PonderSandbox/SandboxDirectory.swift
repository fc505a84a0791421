import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The host-side staging directory of one job (mode 0700, owned by Ponder's user), removed by
/// `remove()`: `job/` holds the job's files and `root/` is where an isolating level mounts the
/// job's private root. With an isolating level the files are only read from here (copied into the
/// job's scratch `tmpfs`, or handed to bubblewrap as descriptors) and nothing is written back; with
/// `processOnly` the program runs in `job/` itself.
struct SandboxDirectory {
    /// The file a `.python` program's source is written to.
    static let pythonMain = "main.py"
    /// Most files a job may bring (each becomes a descriptor for bubblewrap).
    static let maximumFiles = 128

    /// The staging directory.
    let path: String
    /// The job's files, by plain name.
    let fileNames: [String]

    /// `path + "/job"`: the job's files.
    var jobPath: String { path + "/job" }
    /// `path + "/root"`: the mount point of the private root.
    var rootPath: String { path + "/root" }

    /// Makes the directory and writes `files` into `job/`.
    init(files: [String: Data]) throws(SandboxError) {
        guard files.count <= Self.maximumFiles else {
            throw .workDirectory("a job may bring at most \(Self.maximumFiles) files, not \(files.count)")
        }
        for name in files.keys {
            guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else { throw .invalidFileName(name) }
        }
        let base = FileManager.default.temporaryDirectory.path
        var template = Array((base + "/" + Self.prefix + "\(getpid())-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw .workDirectory("mkdtemp in \(base) failed with system error \(errno)")
        }
        path = String(cString: made)
        fileNames = files.keys.sorted()
        do {
            for directory in [jobPath, rootPath] where mkdir(directory, 0o700) != 0 {
                throw SandboxError.workDirectory("cannot make \(directory): system error \(errno)")
            }
            for (name, contents) in files {
                let file = jobPath + "/" + name
                guard FileManager.default.createFile(atPath: file, contents: contents, attributes: [.posixPermissions: 0o644]) else {
                    throw SandboxError.workDirectory("cannot write \(file)")
                }
            }
        } catch let error as SandboxError {
            remove()
            throw error
        } catch {
            remove()
            throw .workDirectory("\(error)")
        }
    }

    /// Opens every job file read-only (close-on-exec), in `fileNames` order.
    func openFiles() throws(SandboxError) -> [Int32] {
        var descriptors: [Int32] = []
        for name in fileNames {
            let fd = open(jobPath + "/" + name, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                descriptors.forEach { close($0) }
                throw .workDirectory("cannot open \(jobPath)/\(name): system error \(errno)")
            }
            descriptors.append(fd)
        }
        return descriptors
    }

    /// Deletes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Staging directories are named after the process that made them.
    static let prefix = "ponder-sandbox-"

    /// Removes the staging directories of Ponder processes that died before cleaning up (a SIGKILL).
    static func removeStale() {
        let base = FileManager.default.temporaryDirectory.path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let owner = name.dropFirst(prefix.count).split(separator: "-").first.flatMap({ Int32($0) }) else { continue }
            if kill(owner, 0) == -1, errno == ESRCH { try? FileManager.default.removeItem(atPath: base + "/" + name) }
        }
    }
}
