/// Pulls the final answer out of a model's free text (or reads a bare reference answer).
///
/// It looks, in this order, and takes the first place that yields an answer of the asked kind:
/// 1. the last `\boxed{…}` or `\fbox{…}` (nested braces, `\frac`, `\dfrac`, `\text{}`, `\$` handled);
/// 2. a last line `#### 72` (GSM8K);
/// 3. the last "answer is", "answer:", "answer would be", "option is"… (any case; "final answer"
///    and "the answer" included): the words after it up to the end of the sentence or line;
/// 4. a fallback for the kind: for numbers, a one-line reply read whole (`1,000`, `\frac{1}{2}`,
///    `2\sqrt{2}` as text), then what follows the last `=` on the last line, then the last number;
///    for choices, a reply that starts with a letter (`B. Paris`), then the last `(X)`; for yes/no,
///    the first word, then the last yes/no word of the last line; for text, the last line.
///
/// Numbers are read by value, never kept as strings: `1,000` → 1000, `$1,234.50` → 1234.5,
/// `12 dollars` → 12, `3/4`, `2 1/2`, `-3.5`, `.5`, `1e3`, `twelve`; `50%` becomes
/// ``Answer/percent(_:)`` so ``AnswerEquivalence`` can apply its percent rule. Scanning is linear
/// (no regular expressions): any input, however long or malformed, returns quickly.
///
/// ```swift
/// let extractor = AnswerExtractor()
/// extractor.extract(from: "3 + 4 = 7 apples.\nSo the answer is 7.", kind: .number)   // .number(7)
/// extractor.extract(from: "$\\boxed{\\frac{1}{2}}$", kind: .number)?.description      // "0.5"
/// extractor.extract(from: "Answer: (C)", kind: .multipleChoice)                        // .choice("C")
/// ```
public struct AnswerExtractor: Sendable {
    /// The phrases that introduce a final answer, lowercase; the last occurrence in the text wins.
    static let answerPhrases = [
        "answer is", "answer:", "answer would be", "answer will be", "answer should be", "answer =",
        "option is", "choice is",
    ]

    /// Creates an extractor.
    public init() {}

    /// The final answer of `kind` in `text`, or `nil` when there is none (empty text, no number
    /// for a number question, no letter for a choice question…).
    public func extract(from text: String, kind: AnswerKind) -> Answer? {
        guard text.contains(where: { !$0.isWhitespace }) else { return nil }
        if let boxed = Self.lastBoxedContent(in: text),
           let answer = AnswerReader.read(LaTeXCleaner.clean(boxed), kind: kind, as: .whole) {
            return answer
        }
        let cleaned = LaTeXCleaner.clean(text)
        let lastLine = AnswerText.lastNonEmptyLine(cleaned)
        if let lastLine, lastLine.hasPrefix("####"),
           let answer = AnswerReader.read(lastLine.drop(while: { $0 == "#" }), kind: kind, as: .leading) {
            return answer
        }
        if let span = Self.phraseSpan(in: cleaned), let answer = AnswerReader.read(span, kind: kind, as: .leading) {
            return answer
        }
        switch kind {
        case .number: return Self.fallbackNumber(in: cleaned, lastLine: lastLine)
        case .multipleChoice:
            return AnswerReader.choice(in: cleaned, strict: true) ?? AnswerReader.lastParenthesizedChoice(in: cleaned)
        case .yesNo:
            return AnswerReader.yesNo(in: cleaned.prefix(64), pick: .firstWord)
                ?? lastLine.flatMap { AnswerReader.yesNo(in: $0, pick: .lastMatch) }
        case .text:
            return lastLine.flatMap(AnswerReader.text)
        }
    }

    // MARK: Fallback for numbers

    private static func fallbackNumber(in cleaned: String, lastLine: String?) -> Answer? {
        let whole = AnswerText.trimmed(cleaned)
        if whole.utf8.count <= 300, !whole.contains(where: \.isNewline),
           let answer = AnswerReader.number(in: whole, as: .whole) {
            switch answer {
            case .number, .percent: return answer
            default: if AnswerReader.looksLikeFormula(whole) { return answer }
            }
        }
        if let lastLine, lastLine.contains("="), let answer = AnswerReader.number(in: lastLine, as: .leading) {
            switch answer {
            case .number, .percent: return answer
            default: break
            }
        }
        guard let last = NumberScanner.numbers(in: cleaned).last(where: { !$0.isSuperscript }) else { return nil }
        return last.isPercent ? .percent(last.value) : .number(last.value)
    }

    // MARK: Locating the answer

    /// The content of the last `\boxed{…}` or `\fbox{…}` (`\boxed 5` too), or `nil`.
    static func lastBoxedContent(in text: String) -> Substring? {
        let bytes = Array(text.utf8)
        var best: Int?
        for command in ["\\boxed", "\\fbox"] {
            if let start = lastIndex(of: Array(command.utf8), in: bytes), start > (best ?? -1) {
                best = start + command.utf8.count
            }
        }
        guard var index = best else { return nil }
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] != UInt8(ascii: "{") {
            var end = index
            while end < bytes.count, !NumberScanner.isSpace(bytes[end]), bytes[end] != UInt8(ascii: "$") { end += 1 }
            return end > index ? substring(text, bytes: index..<end) : nil
        }
        var depth = 0
        var position = index
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\\"): position += 1
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return substring(text, bytes: (index + 1)..<position) }
            default: break
            }
            position += 1
        }
        return nil   // unclosed: the output was cut off
    }

    /// The words after the last answer phrase, up to the end of that sentence or line.
    static func phraseSpan(in text: String) -> Substring? {
        let bytes = Array(text.utf8)
        var spanStart: Int?
        for phrase in answerPhrases {
            if let start = lastIndex(of: Array(phrase.utf8), in: bytes) {
                spanStart = max(spanStart ?? 0, start + phrase.utf8.count)
            }
        }
        guard var start = spanStart else { return nil }
        while start < bytes.count, NumberScanner.isSpace(bytes[start]) || bytes[start] == UInt8(ascii: ":")
            || bytes[start] == UInt8(ascii: "*") { start += 1 }
        var end = start
        while end < bytes.count, end - start < 500 {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "!") { break }
            if byte == UInt8(ascii: "."), end + 1 == bytes.count || NumberScanner.isSpace(bytes[end + 1]) { break }
            end += 1
        }
        return substring(text, bytes: start..<end)
    }

    /// The start of the last case-insensitive occurrence of ASCII `needle` in `bytes`.
    private static func lastIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var start = bytes.count - needle.count
        while start >= 0 {
            var offset = 0
            while offset < needle.count, NumberScanner.lower(bytes[start + offset]) == needle[offset] { offset += 1 }
            if offset == needle.count { return start }
            start -= 1
        }
        return nil
    }

    /// The text between two UTF-8 offsets that fall on ASCII bytes (so on character boundaries).
    private static func substring(_ text: String, bytes range: Range<Int>) -> Substring {
        let utf8 = text.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let upper = utf8.index(lower, offsetBy: range.count)
        return text[lower..<upper]
    }
}
