import Foundation

/// The one JSON printer of the command line, behind every `--json`: pretty-printed with sorted keys,
/// so output is stable and diffable.
///
/// ```swift
/// try JSONOutput.print(summaries)                    // ponder eval --json
/// let text = try JSONOutput.string(trace)            // ponder ask --json
/// ```
enum JSONOutput {
    /// How `/` is written. Each command keeps the form it has always printed.
    enum Slashes {
        /// `/` as is (`"a/b"`).
        case plain
        /// `/` escaped as `\/` (Foundation's default).
        case escaped
    }

    /// `value` as pretty-printed JSON with sorted keys.
    static func string<Value: Encodable>(_ value: Value, slashes: Slashes = .plain) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = slashes == .plain ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Prints `value` as JSON on standard output.
    static func print<Value: Encodable>(_ value: Value, slashes: Slashes = .plain) throws {
        Swift.print(try string(value, slashes: slashes))
    }
}
