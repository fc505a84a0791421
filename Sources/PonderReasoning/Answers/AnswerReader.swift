/// Reads an ``Answer`` of a given kind from a short piece of cleaned text (a `\boxed{}` content, the
/// words after "the answer is", a whole short reply). Used by ``AnswerExtractor``.
enum AnswerReader {
    /// How much of the span is the answer.
    enum Reading {
        /// The span is the answer itself (a box's content, a whole one-line reply): a number must
        /// stand alone (units allowed); anything else that is there is kept as text.
        case whole
        /// The answer starts the span and words may follow ("68 apples, because …").
        case leading
    }

    /// The answer of `kind` in `span`, or `nil` when there is none.
    static func read(_ span: some StringProtocol, kind: AnswerKind, as reading: Reading) -> Answer? {
        switch kind {
        case .number: return number(in: span, as: reading)
        case .multipleChoice: return choice(in: span, strict: false)
        case .yesNo: return yesNo(in: span, pick: .firstMatch)
        case .text: return text(span)
        }
    }

    // MARK: Numbers

    /// A number in `span`. After an `=`, only what follows the last one counts (`17 + 25 = 42`).
    /// A span that is a formula (`2\sqrt{2}`, `3π`, `2^10`) gives `.text` rather than a misleading number.
    static func number(in span: some StringProtocol, as reading: Reading) -> Answer? {
        var body = Substring(AnswerText.trimmed(span))
        if let equals = body.lastIndex(of: "="), body[body.index(after: equals)...].contains(where: \.isNumber) {
            body = Substring(AnswerText.trimmed(body[body.index(after: equals)...]))
        }
        guard !body.isEmpty else { return nil }
        if looksLikeFormula(body) { return text(body) }
        switch reading {
        case .leading:
            if let first = NumberScanner.numbers(in: body).first(where: { !$0.isSuperscript }) {
                return answer(first)
            }
            return NumberWords.value(in: body, whole: false).map { .number(ExactNumber($0)) }
        case .whole:
            let joined = joiningSpaceGroups(body)
            let bytes = Array(joined.utf8)
            let found = NumberScanner.numbers(in: bytes).filter { !$0.isSuperscript }
            if found.count == 1 {
                let range = found[0].range
                let rest = String(decoding: bytes[..<range.lowerBound] + bytes[range.upperBound...], as: UTF8.self)
                if isUnitsOnly(rest) { return answer(found[0]) }
            } else if found.isEmpty, let value = NumberWords.value(in: body, whole: true) {
                return .number(ExactNumber(value))
            }
            return text(body)
        }
    }

    /// Whether `text` reads as a formula rather than a number: a root, π, ∞, an unknown LaTeX
    /// command, or a power of a number (`2^10`).
    static func looksLikeFormula(_ text: some StringProtocol) -> Bool {
        var previous: Character = " "
        for character in text {
            if "√π∞\\".contains(character) { return true }
            if character == "^", previous.isNumber || previous == ")" { return true }
            previous = character
        }
        return false
    }

    private static func answer(_ number: ScannedNumber) -> Answer {
        number.isPercent ? .percent(number.value) : .number(number.value)
    }

    /// Whether what is left beside a number is only units and punctuation (`cm`, `dollars`, `$`,
    /// `°`): no digits, no operators, no lone variable such as `x` or `n`.
    private static func isUnitsOnly(_ rest: String) -> Bool {
        if rest.contains(where: { $0.isNumber || "+*/<>=|×÷·±≤≥≈≠".contains($0) }) { return false }
        let variables: Set<Substring> = ["x", "y", "z", "n", "k", "i"]
        return !rest.split(whereSeparator: { !$0.isLetter }).contains(where: variables.contains)
    }

    /// `1 000 000` → `1000000` when the whole text is digit groups of three after a first group of
    /// one to three (a leading sign or `$` and a decimal part allowed); otherwise `text` unchanged.
    private static func joiningSpaceGroups(_ text: Substring) -> String {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return String(text) }
        let head = parts[0].drop(while: { "-+$".contains($0) })
        let tail = parts.last!.split(separator: ".", maxSplits: 1)
        let digitsOnly: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard digitsOnly(head), head.count <= 3,
              parts.dropFirst().dropLast().allSatisfy({ $0.count == 3 && digitsOnly($0) }),
              let lastGroup = tail.first, lastGroup.count == 3, digitsOnly(lastGroup),
              tail.count == 1 || digitsOnly(tail[1]) else { return String(text) }
        return parts.joined()
    }

    // MARK: Choices

    /// A choice letter at the start of `span`: `B`, `(B)`, `[B]`, `b)`, `B. Paris`, `**B**`,
    /// `option B`. Lowercase letters need `)`, `.`, `:` or `]` after them (so "a dog" is not `A`);
    /// with `strict`, uppercase letters do too, unless the letter is all there is.
    static func choice(in span: some StringProtocol, strict: Bool) -> Answer? {
        var characters = Array(span.prefix(64))[...]   // the letter comes first; the rest is not needed
        let skipped: Set<Character> = ["*", "\"", "'", "$", ":", "_", "`", "“", "‘"]
        func skipNoise() {
            while let first = characters.first, first.isWhitespace || skipped.contains(first) {
                characters = characters.dropFirst()
            }
        }
        skipNoise()
        for word in ["option", "choice", "letter"] {
            let prefix = characters.prefix(word.count + 1)
            if String(prefix).lowercased() == word + " " {
                characters = characters.dropFirst(word.count + 1)
                skipNoise()
            }
        }
        var bracketed = false
        if let first = characters.first, first == "(" || first == "[" {
            bracketed = true
            characters = characters.dropFirst()
        }
        guard let letter = characters.first, letter.isASCII, letter.isLetter else { return nil }
        let next = characters.dropFirst().first
        let closers: Set<Character> = [")", ".", ":", "]", "*", ","]
        if bracketed {
            guard let next, next == ")" || next == "]" else { return nil }
        } else if letter.isLowercase || strict {
            if let next, !closers.contains(next) { return nil }
        } else if let next, next.isLetter || next.isNumber {
            return nil
        }
        return .choice(Character(letter.uppercased()))
    }

    /// The last `(X)` with an uppercase letter in `text`.
    static func lastParenthesizedChoice(in text: some StringProtocol) -> Answer? {
        let bytes = Array(text.utf8)
        var index = bytes.count - 3
        while index >= 0 {
            let letter = bytes[index + 1]
            if bytes[index] == UInt8(ascii: "("), bytes[index + 2] == UInt8(ascii: ")"),
               letter >= UInt8(ascii: "A"), letter <= UInt8(ascii: "Z") {
                return .choice(Character(Unicode.Scalar(letter)))
            }
            index -= 1
        }
        return nil
    }

    // MARK: Yes or no

    /// Which yes/no word to take.
    enum Pick {
        /// Only the first word counts ("Yes, because …").
        case firstWord
        /// The first yes/no word anywhere ("definitely yes").
        case firstMatch
        /// The last yes/no word ("… so, yes").
        case lastMatch
    }

    /// `yes`/`true` → `.yesNo(true)`, `no`/`false` → `.yesNo(false)`.
    static func yesNo(in span: some StringProtocol, pick: Pick) -> Answer? {
        let words = span.lowercased().split(whereSeparator: { !$0.isLetter })
        func value(_ word: Substring) -> Bool? {
            switch word {
            case "yes", "true": return true
            case "no", "false": return false
            default: return nil
            }
        }
        let found: Bool?
        switch pick {
        case .firstWord: found = words.first.flatMap(value)
        case .firstMatch: found = words.lazy.compactMap(value).first
        case .lastMatch: found = words.reversed().lazy.compactMap(value).first
        }
        return found.map(Answer.yesNo)
    }

    // MARK: Text

    /// The normalised text, or `nil` when nothing is left.
    static func text(_ span: some StringProtocol) -> Answer? {
        let normalized = AnswerText.normalized(span)
        return normalized.isEmpty ? nil : .text(normalized)
    }
}
