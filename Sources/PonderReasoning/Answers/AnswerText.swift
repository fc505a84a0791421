/// Small text helpers shared by the answer readers.
enum AnswerText {
    /// `text` without leading and trailing whitespace (cost: the whitespace, not the text).
    static func trimmed(_ text: some StringProtocol) -> String {
        let scalars = Substring(text).unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
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
        let substring = Substring(text)
        let utf8 = substring.utf8
        guard let lastVisible = utf8.lastIndex(where: { !NumberScanner.isSpace($0) }) else { return nil }
        let lineStart = utf8[..<lastVisible].lastIndex(of: UInt8(ascii: "\n")).map { utf8.index(after: $0) }
            ?? utf8.startIndex
        let line = trimmed(substring[lineStart..<utf8.index(after: lastVisible)])
        return line.isEmpty ? nil : line
    }
}
