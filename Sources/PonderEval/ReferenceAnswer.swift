import Foundation
import PonderReasoning

/// Reads a dataset's reference answer into canonical form: numbers by value through
/// PonderReasoning's ``AnswerExtractor`` (`"1,000"` → `"1000"`, `\frac{1}{2}` → `"0.5"`), anything
/// else (`\sqrt{2}`, `(1, 2)`, `x^2+1`) kept as trimmed text.
enum ReferenceAnswer {
    private static let extractor = AnswerExtractor()

    /// The canonical number in `text`, or `nil` unless the whole text is one number (with optional
    /// `$`, `%`, thousands commas, `\frac{a}{b}`, degree sign, or a unit in `\text{}`).
    static func number(in text: String) -> String? {
        // MATH writes thousands as `10,\!080` or `10{,}080`.
        let trimmed = stripMathDelimiters(text)
            .replacingOccurrences(of: "\\!", with: "")
            .replacingOccurrences(of: "{,}", with: ",")
        guard isSingleNumber(trimmed), let answer = extractor.extract(from: trimmed, kind: .number) else {
            return nil
        }
        switch answer {
        case .number, .percent: return answer.description
        default: return nil
        }
    }

    /// A MATH answer's kind and canonical text: a number when the whole answer is one, else the
    /// trimmed expression as written.
    static func math(_ text: String) -> (kind: ProblemKind, expected: String) {
        if let number = number(in: text) { return (.number, number) }
        return (.text, stripMathDelimiters(text))
    }

    /// The content of the last `\boxed{…}` or `\fbox{…}` in `text` (nested and escaped braces
    /// handled; `\boxed 5` too), or `nil` when there is none or it is never closed.
    static func lastBoxed(in text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var start: Int?
        for command in ["\\boxed", "\\fbox"] {
            let needle = Array(command.unicodeScalars)
            var index = scalars.count - needle.count
            while index >= 0 {
                if Array(scalars[index..<(index + needle.count)]) == needle {
                    let after = index + needle.count
                    let nextIsLetter = after < scalars.count && scalars[after].properties.isAlphabetic
                    if !nextIsLetter {
                        if after > (start ?? -1) { start = after }
                        break
                    }
                }
                index -= 1
            }
        }
        guard var index = start else { return nil }
        while index < scalars.count, scalars[index] == " " { index += 1 }
        guard index < scalars.count else { return nil }
        if scalars[index] != "{" {
            var end = index
            while end < scalars.count, !scalars[end].properties.isWhitespace, scalars[end] != "$" { end += 1 }
            return end > index ? String(String.UnicodeScalarView(scalars[index..<end])) : nil
        }
        var depth = 0
        var position = index
        while position < scalars.count {
            switch scalars[position] {
            case "\\": position += 1   // an escaped character, `\{` or `\}` included
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { return String(String.UnicodeScalarView(scalars[(index + 1)..<position])) }
            default: break
            }
            position += 1
        }
        return nil
    }

    // MARK: Deciding whether a text is one number

    /// The text trimmed, without surrounding `$…$` or `\(…\)`.
    static func stripMathDelimiters(_ text: String) -> String {
        var result = text.trimmingWhitespace()
        if result.count >= 2, result.hasPrefix("$"), result.hasSuffix("$"), !result.hasSuffix("\\$") {
            result = String(result.dropFirst().dropLast()).trimmingWhitespace()
        }
        if result.hasPrefix("\\("), result.hasSuffix("\\)") {
            result = String(result.dropFirst(2).dropLast(2)).trimmingWhitespace()
        }
        return result
    }

    private static let numberCommands: Set<String> = ["frac", "dfrac", "tfrac", "$", "%", "!", ",", ";", " "]
    private static let textCommands: Set<String> = ["text", "mbox", "textrm", "mathrm", "textnormal"]

    /// Whether `text` is one number as a reference answer writes it: digits with at most a sign,
    /// decimal point, thousands commas, `/`, `\frac{}{}`, `$`, `%`, `^\circ` and a `\text{unit}`.
    /// Letters, `\sqrt`, `\pi`, tuples and lists are not.
    static func isSingleNumber(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.contains(where: \.isASCIIDigit) else { return false }
        var index = 0
        var previous: Character?   // the last character that was not a space
        while index < characters.count {
            let character = characters[index]
            switch character {
            case _ where character.isASCIIDigit, ".", "/", "{", "}", "$", "%":
                index += 1
            case " ":
                index += 1
                continue
            case "-", "+":
                guard previous == nil || previous == "{" || previous == "$" else { return false }
                index += 1
            case ",":
                guard isThousandsComma(characters, at: index) else { return false }
                index += 1
            case "^":
                let rest = String(characters[(index + 1)...])
                if rest.hasPrefix("\\circ") { index += 6 } else if rest.hasPrefix("{\\circ}") { index += 8 } else {
                    return false
                }
            case "\\":
                var end = index + 1
                while end < characters.count, characters[end].isLetter { end += 1 }
                if end == index + 1, end < characters.count { end += 1 }   // a one-symbol command: `\$`, `\!`
                let name = String(characters[(index + 1)..<end])
                if textCommands.contains(name) {
                    guard let close = unitGroupEnd(characters, from: end) else { return false }
                    index = close
                } else if numberCommands.contains(name) {
                    index = end
                    if name == "$" {
                        previous = "$"
                        continue
                    }
                } else {
                    return false
                }
            default:
                return false
            }
            previous = character
        }
        return true
    }

    /// A comma between a digit and exactly three digits (`1,000`, `12,345,678`).
    private static func isThousandsComma(_ characters: [Character], at index: Int) -> Bool {
        guard index > 0, characters[index - 1].isASCIIDigit else { return false }
        var digits = 0
        var position = index + 1
        while position < characters.count, characters[position].isASCIIDigit { digits += 1; position += 1 }
        return digits == 3
    }

    /// The index after a `{unit}` group of letters, spaces and periods starting at `index`, or `nil`.
    private static func unitGroupEnd(_ characters: [Character], from index: Int) -> Int? {
        guard index < characters.count, characters[index] == "{" else { return nil }
        var position = index + 1
        while position < characters.count, characters[position] != "}" {
            let character = characters[position]
            guard character.isLetter || character == " " || character == "." else { return nil }
            position += 1
        }
        return position < characters.count ? position + 1 : nil
    }
}

extension Character {
    /// `0`…`9` only (not other scripts' digits, not superscripts).
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
