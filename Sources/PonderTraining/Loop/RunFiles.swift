import Foundation

/// Reading and writing the files of a run directory: JSON state written atomically (a killed run
/// never leaves half a state file) and write failures (a full disk) turned into
/// `TrainingError.writeFailed`. JSONL files are appended through `JSONLFile`.
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

    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// A short reason for a file error; a full disk says so.
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           underlying.code == Int(ENOSPC) {
            return "no space left on the disk"
        }
        if nsError.domain == NSPOSIXErrorDomain, nsError.code == Int(ENOSPC) { return "no space left on the disk" }
        return nsError.localizedDescription
    }
}
