import Foundation

/// A stretch of an assistant's text that training must not learn, as UTF-8 byte offsets into the
/// text: what a tool forced into a chain (the calculator's value after `=`), which the model read
/// but did not write.
///
/// ```swift
/// let text = "23 + 45 = 68\nAnswer: 68"
/// let span = MaskedSpan(start: 10, end: 12)          // "68", the calculator's result
/// ```
public struct MaskedSpan: Sendable, Hashable, Codable {
    /// The first byte.
    public var start: Int
    /// One past the last byte.
    public var end: Int

    /// Creates a span of the bytes `start..<end`.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Whether the span is a non-empty range inside a text of `length` bytes.
    public func isValid(inTextOfLength length: Int) -> Bool { start >= 0 && start < end && end <= length }

    /// The spans where each of `pieces` occurs in `text`, searched in order (each after the end of
    /// the previous), ignoring whitespace at a piece's ends; a piece that does not occur after the
    /// previous one is left out, so the spans never overlap and stay in order.
    public static func locate(_ pieces: [String], in text: String) -> [MaskedSpan] {
        let bytes = Array(text.utf8)
        var spans: [MaskedSpan] = [], cursor = 0
        for piece in pieces {
            let needle = Array(piece.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
            guard !needle.isEmpty, let start = firstIndex(of: needle, in: bytes, from: cursor) else { continue }
            spans.append(MaskedSpan(start: start, end: start + needle.count))
            cursor = start + needle.count
        }
        return spans
    }

    /// Where `needle` first occurs in `haystack` at or after `from`.
    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        for start in from...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }

    /// Sets to 0 the loss weight of every token of an assistant's turn that overlaps one of
    /// `spans` (offsets into `content`, the turn's text). `tokens` are the conversation's training
    /// tokens, the turn starting at `promptLength`; `weights[i]` is the weight of label `i`, the
    /// token `tokens[i + 1]`; `bytes` gives the text a token stands for. A token straddling a
    /// span's edge is masked whole. Returns how many labels were masked.
    /// - Throws: `PonderError.invalidParameter` when a span lies outside `content`,
    ///   `PonderError.backend` when the tokens after the prompt do not spell `content` (so the
    ///   spans cannot be placed).
    public static func mask(_ spans: [MaskedSpan], content: String, tokens: [Int32], promptLength: Int,
                            weights: inout [Float], bytes: (Int32) -> [UInt8]) throws -> Int {
        guard !spans.isEmpty else { return 0 }
        let text = Array(content.utf8)
        if let bad = spans.first(where: { !$0.isValid(inTextOfLength: text.count) }) {
            throw PonderError.invalidParameter(name: "masked span", value: "\(bad.start)..<\(bad.end)",
                                               expected: "a non-empty range inside the \(text.count)-byte answer")
        }
        // The turn's bytes, and where each token starts in them.
        let start = max(promptLength, 1)
        var stream: [UInt8] = [], starts: [Int] = []
        for token in tokens[min(start, tokens.count)...] {
            starts.append(stream.count)
            stream += bytes(token)
        }
        guard let offset = firstIndex(of: text, in: stream, from: 0) else {
            throw PonderError.backend("the training tokens do not spell the assistant's answer, so its masked spans cannot be placed")
        }
        var masked = 0
        for (index, tokenStart) in starts.enumerated() {
            let tokenEnd = index + 1 < starts.count ? starts[index + 1] : stream.count
            let label = start + index - 1
            guard label < weights.count, tokenEnd > tokenStart else { continue }
            let overlaps = spans.contains { tokenStart < offset + $0.end && tokenEnd > offset + $0.start }
            if overlaps, weights[label] != 0 {
                weights[label] = 0
                masked += 1
            }
        }
        return masked
    }
}
