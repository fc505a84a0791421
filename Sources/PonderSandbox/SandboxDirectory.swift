import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fresh private temporary directory holding one job's files; removed by `remove()`.
struct SandboxDirectory {
    /// The file a `.python` program's source is written to.
    static let pythonMain = "main.py"

    let path: String

    /// Makes the directory (mode 0700) and writes `files` into it. With `ownedByNobody` the
    /// directory and files are given to `nobody`, who the program runs as.
    init(files: [String: Data], ownedByNobody: Bool) throws(SandboxError) {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array((base + "/ponder-sandbox-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw .workDirectory("mkdtemp in \(base) failed with system error \(errno)")
        }
        path = String(cString: made)
        do {
            for (name, contents) in files {
                guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
                    throw SandboxError.invalidFileName(name)
                }
                let file = path + "/" + name
                guard FileManager.default.createFile(atPath: file, contents: contents) else {
                    throw SandboxError.workDirectory("cannot write \(file)")
                }
                if ownedByNobody { _ = chown(file, uid_t(SandboxCommand.nobody), gid_t(SandboxCommand.nobody)) }
            }
            if ownedByNobody, chown(path, uid_t(SandboxCommand.nobody), gid_t(SandboxCommand.nobody)) != 0 {
                throw SandboxError.workDirectory("cannot give \(path) to nobody: system error \(errno)")
            }
        } catch let error as SandboxError {
            remove()
            throw error
        } catch {
            remove()
            throw .workDirectory("\(error)")
        }
    }

    /// Deletes the directory and everything the program left in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
