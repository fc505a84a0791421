import Foundation

/// Loads evaluation problems from JSONL files: GSM8K, MATH, multiple-choice and HumanEval records,
/// detected record by record (see ``DatasetFormat``), plain or gzip-compressed.
///
/// Blank lines are skipped; line numbers in errors are 1-based and count blank lines, so they
/// match an editor. Loading stops once `limit` problems are read: later lines are not checked.
///
/// ```swift
/// let problems = try DatasetLoader.load(path: "data/gsm8k_test.jsonl", limit: 100)
/// let code = try DatasetLoader.load(path: "data/HumanEval.jsonl.gz")   // decompressed with gzip
/// ```
public enum DatasetLoader {
    /// The problems in the JSONL file at `path`, in file order.
    ///
    /// - Parameters:
    ///   - path: a `.jsonl` file, or a gzip-compressed one (recognised by its content, whatever its
    ///     name; decompressed by running `gzip -dc`, which must be on `PATH`).
    ///   - limit: the most problems to read (at least 1), or `nil` for all.
    /// - Throws: ``DatasetError``: a missing, unreadable or empty file, or the first bad line.
    public static func load(path: String, limit: Int? = nil) throws -> [EvalProblem] {
        try validate(limit)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DatasetError.fileNotFound(path: path)
        }
        guard !isDirectory.boolValue else {
            throw DatasetError.unreadable(path: path, reason: "it is a directory, not a JSONL file")
        }
        var data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DatasetError.unreadable(path: path, reason: error.localizedDescription)
        }
        if GzipReader.isCompressed(data) {
            data = try GzipReader.decompress(path: path)
        }
        return try parse(data, path: path, stem: stem(of: path), limit: limit)
    }

    /// The problems in JSONL `text` already in memory; `source` names it in errors and ids.
    public static func parse(_ text: String, source: String = "input", limit: Int? = nil) throws -> [EvalProblem] {
        try validate(limit)
        return try parse(Data(text.utf8), path: source, stem: stem(of: source), limit: limit)
    }

    // MARK: Lines

    private static func parse(_ data: Data, path: String, stem: String, limit: Int?) throws -> [EvalProblem] {
        guard String(data: data, encoding: .utf8) != nil else { throw DatasetError.notUTF8(path: path) }
        let parser = RecordParser(path: path, stem: stem)
        let decoder = JSONDecoder()
        var problems: [EvalProblem] = []
        var lineNumber = 0
        // Split on LF bytes, not on Characters: JSON strings may hold U+2028, and "\r\n" is one Character.
        for var line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }   // BOM
            guard line.contains(where: { !isJSONWhitespace($0) }) else { continue }
            let value: JSONValue
            do {
                value = try decoder.decode(JSONValue.self, from: Data(line))
            } catch {
                let snippet = String(decoding: line.prefix(60), as: UTF8.self).trimmingWhitespace()
                throw DatasetError.invalidJSON(path: path, line: lineNumber, reason: "cannot parse \"\(snippet)\"")
            }
            guard case let .object(fields) = value else {
                throw DatasetError.invalidJSON(
                    path: path, line: lineNumber, reason: "a record must be a JSON object, found \(value.typeName)"
                )
            }
            problems.append(try parser.problem(from: fields, line: lineNumber))
            if let limit, problems.count >= limit { break }
        }
        guard !problems.isEmpty else { throw DatasetError.empty(path: path) }
        return problems
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func validate(_ limit: Int?) throws {
        if let limit, limit < 1 { throw DatasetError.invalidLimit(limit) }
    }

    /// `data/gsm8k_test.jsonl.gz` → `gsm8k_test`.
    private static func stem(of path: String) -> String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".gz", ".jsonl", ".json", ".ndjson"] where name.hasSuffix(suffix) && name.count > suffix.count {
            name.removeLast(suffix.count)
        }
        return name
    }
}
