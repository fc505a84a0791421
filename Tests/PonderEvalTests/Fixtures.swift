import Foundation
import PonderCore
import PonderEval

extension ModelIdentity {
    /// A stand-in identity for tests' scripted models and named files.
    static func test(_ name: String, _ digest: String = "aa") -> ModelIdentity {
        ModelIdentity(name: name, digest: "sha256:" + digest)
    }
}

/// A fresh directory under the system temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ponder-eval-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `text` to `name` in the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    /// Writes `data` to `name` in the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ data: Data) throws -> String {
        let file = url.appendingPathComponent(name)
        try data.write(to: file)
        return file.path
    }

    /// Writes `text` gzip-compressed (by the real `gzip`) to `name` and returns its path.
    func writeGzip(_ name: String, _ text: String) throws -> String {
        let plain = try write(name + ".plain", text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-c", plain]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError.gzipFailed }
        return try write(name, data)
    }

    enum FixtureError: Error {
        case gzipFailed
    }
}

/// JSONL text from records written as Swift dictionaries, one line each.
func jsonLines(_ records: [[String: Any]]) throws -> String {
    try records.map { record in
        let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }.joined(separator: "\n") + "\n"
}
