import Foundation

/// Reading and writing the files of a run directory: JSON state written atomically (a killed run
/// never leaves half a state file), JSONL appended line by line, and write failures (a full disk)
/// turned into `TrainingError.writeFailed`.
enum RunFiles {
    static func write(_ data: Data, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw TrainingError.writeFailed(path: url.path, reason: reason(error))
        }
    }

    static func writeJSON<Value: Encodable>(_ value: Value, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(value) } catch {
            throw TrainingError.writeFailed(path: url.path, reason: reason(error))
        }
        try write(data, to: url)
    }

    static func readJSON<Value: Decodable>(_ type: Value.Type, from url: URL) throws -> Value? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(contentsOf: url))
        } catch {
            throw TrainingError.unreadableState(path: url.path, reason: reason(error))
        }
    }

    /// Appends one JSON line (creating the file), flushed before returning.
    static func appendLine<Value: Encodable>(_ value: Value, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line: Data
        do { line = try encoder.encode(value) } catch {
            throw TrainingError.writeFailed(path: url.path, reason: reason(error))
        }
        line.append(UInt8(ascii: "\n"))
        try appendData(line, to: url)
    }

    /// Appends bytes (creating the file), flushed before returning.
    static func appendData(_ data: Data, to url: URL) throws {
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
            throw TrainingError.writeFailed(path: url.path, reason: reason(error))
        }
    }

    /// Every complete JSON line of a file (a torn last line from a kill is ignored).
    static func readLines<Value: Decodable>(_ type: Value.Type, from url: URL) throws -> [Value] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError.unreadableState(path: url.path, reason: reason(error))
        }
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(type, from: Data($0)) }
    }

    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           underlying.code == Int(ENOSPC) {
            return "no space left on the disk"
        }
        if nsError.domain == NSPOSIXErrorDomain, nsError.code == Int(ENOSPC) { return "no space left on the disk" }
        return nsError.localizedDescription
    }
}
