import Foundation

/// Decompresses a `.gz` file by running `gzip -dc`: Foundation on Linux has no zlib API, and the
/// package takes no compression dependency.
enum GzipReader {
    /// Whether `data` starts with gzip's magic bytes `1f 8b`.
    static func isCompressed(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    /// The decompressed contents of the file at `path`; `gzip` is looked up in `searchPath`
    /// (`PATH` when `nil`).
    static func decompress(path: String, searchPath: String? = nil) throws -> Data {
        guard let gzip = executable(named: "gzip", searchPath: searchPath) else { throw DatasetError.gzipUnavailable(path: path) }
        let process = Process()
        process.executableURL = gzip
        process.arguments = ["-dc", "--", path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw DatasetError.decompressionFailed(path: path, reason: "cannot run \(gzip.path): \(error.localizedDescription)")
        }
        // Read stdout to its end before waiting, so a large file cannot fill the pipe and stall gzip.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingWhitespace()
            let detail = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "no message"
            throw DatasetError.decompressionFailed(
                path: path, reason: "gzip exited with status \(process.terminationStatus): \(detail)"
            )
        }
        return data
    }

    /// The first executable called `name` in the directories of `searchPath` (default `PATH`).
    private static func executable(named name: String, searchPath: String?) -> URL? {
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
