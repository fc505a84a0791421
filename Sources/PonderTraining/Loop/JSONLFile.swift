import Foundation

/// An append-only JSONL file that survives a kill at any instant: the one appender every run file
/// goes through (chains, held-out records, the fine-tune's loss log).
///
/// A kill (or a full disk) during a write can leave a torn last line: the bytes after the last
/// newline. Every append first cuts it, so the new record starts on its own line instead of being
/// glued onto the fragment and lost with it; the cut record is not in the file, so the caller,
/// which reads the file to learn what is done, does it again. A last line without its newline that
/// is a complete JSON object is kept and given the newline (only the newline was lost: our records
/// are objects, and a cut object never parses). Reading returns the complete lines; a complete line
/// that does not decode is damage and throws, it is never skipped.
///
/// ```swift
/// let file = JSONLFile(directory.appendingPathComponent("chains.jsonl"))
/// try file.append(records)                        // one write, flushed to disk
/// let done = try file.read(ChainRecord.self)
/// ```
struct JSONLFile {
    /// The file.
    let url: URL

    init(_ url: URL) {
        self.url = url
    }

    /// Cuts a torn last line. Returns how many bytes were cut: 0 for a missing or empty file, one
    /// that ends with a newline, or one whose unterminated last line is a complete JSON object
    /// (which gets its newline instead).
    /// - Throws: `TrainingError.writeFailed` when the file cannot be read or truncated.
    @discardableResult
    func repair() throws -> Int {
        guard FileManager.default.fileExists(atPath: url.path) else { return 0 }
        do {
            let handle = try FileHandle(forUpdating: url)
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            guard size > 0 else { return 0 }
            try handle.seek(toOffset: size - 1)
            if try handle.read(upToCount: 1) == Data([Self.newline]) { return 0 }
            let lineStart = try Self.offsetAfterLastNewline(in: handle, size: size)
            try handle.seek(toOffset: lineStart)
            let tail = try handle.readToEnd() ?? Data()
            if Self.isCompleteObject(tail) {
                try handle.seekToEnd()
                try handle.write(contentsOf: Data([Self.newline]))
                try handle.synchronize()
                return 0
            }
            try handle.truncate(atOffset: lineStart)
            try handle.synchronize()
            return Int(size - lineStart)
        } catch {
            throw TrainingError.writeFailed(path: url.path, reason: RunFiles.reason(error))
        }
    }

    /// Appends one record as a line.
    func append<Value: Encodable>(_ value: Value) throws {
        try append([value])
    }

    /// Appends records, one line each, in one write flushed to disk before returning (creating the
    /// file and its directory), after cutting a torn last line.
    /// - Throws: `TrainingError.writeFailed` (a full disk, say).
    func append<Value: Encodable>(_ values: [Value]) throws {
        guard !values.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        do {
            for value in values {
                data.append(try encoder.encode(value))
                data.append(Self.newline)
            }
        } catch {
            throw TrainingError.writeFailed(path: url.path, reason: RunFiles.reason(error))
        }
        try repair()
        do {
            if !FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                FileManager.default.createFile(atPath: url.path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            throw TrainingError.writeFailed(path: url.path, reason: RunFiles.reason(error))
        }
    }

    /// The records of every complete line (none for a missing file); an unterminated last line
    /// counts only when it is a complete JSON object, as `repair` would keep it.
    /// - Throws: `TrainingError.unreadableState` naming the first complete line that does not decode.
    func read<Value: Decodable>(_ type: Value.Type) throws -> [Value] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError.unreadableState(path: url.path, reason: RunFiles.reason(error))
        }
        var lines = data.split(separator: Self.newline, omittingEmptySubsequences: false)
        if let last = lines.last, !last.isEmpty, !Self.isCompleteObject(Data(last)) { lines.removeLast() }
        let decoder = JSONDecoder()
        var values: [Value] = []
        for (number, line) in lines.enumerated() where !line.isEmpty {
            do { values.append(try decoder.decode(type, from: Data(line))) } catch {
                throw TrainingError.unreadableState(path: url.path, reason: "line \(number + 1) is damaged or not a \(Value.self) record")
            }
        }
        return values
    }

    /// Rewrites the file with only the records `keep` accepts, atomically (a kill leaves the old
    /// file or the new one). Does nothing when every record is kept.
    func retain<Value: Codable>(_ type: Value.Type, where keep: (Value) -> Bool) throws {
        let records = try read(type)
        let kept = records.filter(keep)
        guard kept.count != records.count else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        do {
            for record in kept {
                data.append(try encoder.encode(record))
                data.append(Self.newline)
            }
        } catch {
            throw TrainingError.writeFailed(path: url.path, reason: RunFiles.reason(error))
        }
        try RunFiles.write(data, to: url)
    }

    /// Deletes the file, if any.
    func remove() {
        RunFiles.remove(url)
    }

    private static let newline = UInt8(ascii: "\n")

    private static func isCompleteObject(_ line: Data) -> Bool {
        (try? JSONSerialization.jsonObject(with: line)) is [String: Any]
    }

    /// The offset just past the last newline before `size` (0 when there is none), read backwards in chunks.
    private static func offsetAfterLastNewline(in handle: FileHandle, size: UInt64) throws -> UInt64 {
        let chunk: UInt64 = 64 * 1024
        var end = size
        while end > 0 {
            let start = end > chunk ? end - chunk : 0
            try handle.seek(toOffset: start)
            let bytes = try handle.read(upToCount: Int(end - start)) ?? Data()
            if let index = bytes.lastIndex(of: newline) {
                return start + UInt64(bytes.distance(from: bytes.startIndex, to: index)) + 1
            }
            end = start
        }
        return 0
    }
}
