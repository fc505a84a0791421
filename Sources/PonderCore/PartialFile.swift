import Foundation

/// Writes a file so that a kill at any instant leaves either the old file or the whole new one,
/// never a torn one: the writer (llama.cpp, which writes to whatever path it is given) writes
/// `<path>.partial` in the same directory, which is flushed to disk and renamed into place (a
/// rename within one file system is atomic). A `.partial` left by a kill is deleted before the next
/// write of the same file and is never read, so it is harmless.
///
/// ```swift
/// try PartialFile.write(to: "round-1/model.gguf") { partial in
///     try LlamaModelConverter.quantize(input: tuned, output: partial)
/// }
/// ```
public enum PartialFile {
    /// The temporary path a write of `path` goes through.
    public static func partialPath(for path: String) -> String { path + ".partial" }

    /// Calls `write` with the temporary path, then moves the file it wrote to `path`. When `write`
    /// throws, the temporary file is removed and `path` is untouched.
    /// - Throws: what `write` throws, or `PartialFileError` when the file cannot be flushed or renamed.
    public static func write(to path: String, _ write: (String) throws -> Void) throws {
        let partial = partialPath(for: path)
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try write(partial)
            try commit(partial, to: path)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// Flushes `partial` and renames it to `path`, then flushes the directory entry.
    static func commit(_ partial: String, to path: String) throws(PartialFileError) {
        let descriptor = open(partial, O_RDONLY)
        guard descriptor >= 0 else { throw .failed(path: partial, call: "open", reason: String(cString: strerror(errno))) }
        let synced = fsync(descriptor)
        let syncError = errno
        close(descriptor)
        guard synced == 0 else { throw .failed(path: partial, call: "fsync", reason: String(cString: strerror(syncError))) }
        guard rename(partial, path) == 0 else { throw .failed(path: path, call: "rename", reason: String(cString: strerror(errno))) }
        let directory = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY)
        if directory >= 0 {
            _ = fsync(directory)   // best effort: some file systems refuse fsync on a directory
            close(directory)
        }
    }
}

/// A file written through `PartialFile` could not be put in place.
public enum PartialFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `call` failed on `path`.
    case failed(path: String, call: String, reason: String)

    /// A one-line message for a person.
    public var description: String {
        switch self {
        case let .failed(path, call, reason): return "cannot put \(path) in place (\(call): \(reason)); is the disk full?"
        }
    }
}
