/// Small text helpers shared by the answer readers.
enum AnswerText {
    /// `text` without leading and trailing whitespace.
    static func trimmed(_ text: some StringProtocol) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// The canonical form of a free-text answer: lowercased; `*`, `` ` `` and `$` (Markdown and math
    /// marks) removed; whitespace collapsed to single spaces; surrounding quotes and trailing
    /// `. ! ? , ; :` removed. `"  The **Eiffel**  Tower. "` → `"the eiffel tower"`.
    static func normalized(_ text: some StringProtocol) -> String {
        let kept = text.lowercased().filter { !"*`$".contains($0) }
        var result = kept.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let quotes: Set<Character> = ["\"", "'", "“", "”", "‘", "’"]
        let trailing: Set<Character> = [".", "!", "?", ",", ";", ":", " "]
        while true {
            let before = result
            while let last = result.last, trailing.contains(last) { result.removeLast() }
            if let first = result.first, let last = result.last, result.count >= 2,
               quotes.contains(first), quotes.contains(last) {
                result = String(result.dropFirst().dropLast())
            }
            result = trimmed(result)
            if result == before { return result }
        }
    }

    /// The last line of `text` that is not blank, trimmed.
    static func lastNonEmptyLine(_ text: some StringProtocol) -> String? {
        var end = text.endIndex
        while end > text.startIndex {
            let lineStart = text[..<end].lastIndex(where: \.isNewline).map { text.index(after: $0) } ?? text.startIndex
            let line = trimmed(text[lineStart..<end])
            if !line.isEmpty { return line }
            guard lineStart > text.startIndex else { return nil }
            end = text.index(before: lineStart)
        }
        return nil
    }
}
