/// Why a dataset could not be loaded or written. Each case has a one-line message that names the
/// file (and the 1-based line, for a bad record) and says what to do.
public enum DatasetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No file at `path`.
    case fileNotFound(path: String)
    /// The file exists but could not be read (a directory, no permission…); `reason` says why.
    case unreadable(path: String, reason: String)
    /// The file holds no records: it is empty or only blank lines.
    case empty(path: String)
    /// The file (after decompression) is not UTF-8 text.
    case notUTF8(path: String)
    /// A `.gz` file was given but no `gzip` executable is on `PATH`.
    case gzipUnavailable(path: String)
    /// `gzip -dc` failed on the file; `reason` is its exit status and message.
    case decompressionFailed(path: String, reason: String)
    /// A line is not valid JSON, or not a JSON object.
    case invalidJSON(path: String, line: Int, reason: String)
    /// A record matches none of the known formats; `keys` are the fields it has.
    case unknownFormat(path: String, line: Int, keys: [String])
    /// A record of a known format has a missing or wrong field; `reason` says which.
    case invalidRecord(path: String, line: Int, format: DatasetFormat, reason: String)
    /// `limit` was below 1.
    case invalidLimit(Int)
    /// A problem cannot be written as GSM8K-style JSONL (only number problems can).
    case notWritable(id: String, kind: ProblemKind)
    /// Writing the output file failed; `reason` says why.
    case writeFailed(path: String, reason: String)

    /// A one-line message for a person.
    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "no dataset at \(path): check the path"
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .empty(path):
            return "\(path) holds no records: give a JSONL file with one JSON object per line"
        case let .notUTF8(path):
            return "\(path) is not UTF-8 text: give a JSONL file (optionally gzip-compressed)"
        case let .gzipUnavailable(path):
            return "\(path) is gzip-compressed but no gzip executable is on PATH: install gzip or decompress it first"
        case let .decompressionFailed(path, reason):
            return "cannot decompress \(path): \(reason)"
        case let .invalidJSON(path, line, reason):
            return "\(path) line \(line): invalid JSON (\(reason))"
        case let .unknownFormat(path, line, keys):
            let found = keys.isEmpty ? "no fields" : "fields " + keys.joined(separator: ", ")
            return "\(path) line \(line): unknown record format (\(found)); expected \(DatasetFormat.summary)"
        case let .invalidRecord(path, line, format, reason):
            return "\(path) line \(line): invalid \(format.displayName) record: \(reason)"
        case let .invalidLimit(limit):
            return "invalid limit \(limit): expected at least 1, or no limit"
        case let .notWritable(id, kind):
            return "problem \(id) is a \(kind.rawValue) problem: only number problems can be written as GSM8K-style JSONL"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
