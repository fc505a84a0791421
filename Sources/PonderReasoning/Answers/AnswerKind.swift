/// The kind of final answer a question expects; it decides how an answer is read and compared.
public enum AnswerKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A number: integers, decimals, fractions, percentages, with or without currency and units.
    case number
    /// A multiple-choice letter, `A` to `Z`.
    case multipleChoice
    /// Yes or no (`true`/`false` count too).
    case yesNo
    /// Free text, compared after normalisation (case, spacing, trailing punctuation).
    case text

    /// Guesses the kind from a question's text.
    ///
    /// - Options marked `(A)` and `(B)`, or lines starting `A)`/`A.`/`A:` and `B)`/`B.`/`B:`:
    ///   ``multipleChoice``.
    /// - "yes or no" / "true or false" in the text, or a last question that starts with an
    ///   auxiliary verb (`Is`, `Are`, `Does`, `Can`, `Will`, `Has`, `Should`…): ``yesNo``.
    /// - Otherwise a digit, or "how many" / "how much": ``number``; else ``text``.
    ///
    /// ```swift
    /// AnswerKind(guessingFrom: "Is 91 prime?")                        // .yesNo
    /// AnswerKind(guessingFrom: "Capital of France?\n(A) Lyon\n(B) Paris") // .multipleChoice
    /// AnswerKind(guessingFrom: "A pen costs $3. How much do 4 cost?")    // .number
    /// ```
    public init(guessingFrom question: String) {
        if Self.hasChoices(question) {
            self = .multipleChoice
        } else if Self.asksYesOrNo(question) {
            self = .yesNo
        } else if question.contains(where: \.isNumber) || ["how many", "how much"].contains(where: question.lowercased().contains) {
            self = .number
        } else {
            self = .text
        }
    }

    private static func hasChoices(_ question: String) -> Bool {
        var letters: Set<Character> = []
        let characters = Array(question)
        for index in characters.indices where index + 2 < characters.count {
            if characters[index] == "(", characters[index + 2] == ")", characters[index + 1].isUppercase {
                letters.insert(characters[index + 1])
            }
        }
        for line in question.split(whereSeparator: \.isNewline) {
            let text = Array(AnswerText.trimmed(line))
            if text.count >= 3, text[0].isASCII, text[0].isUppercase, ").:".contains(text[1]),
               text[2] == " " {
                letters.insert(text[0])
            }
        }
        return letters.contains("A") && letters.contains("B")
    }

    private static let auxiliaries: Set<String> = [
        "is", "are", "was", "were", "am", "do", "does", "did", "can", "could", "will", "would", "should",
        "shall", "has", "have", "had", "may", "might", "must", "isn't", "aren't", "wasn't", "weren't",
        "don't", "doesn't", "didn't", "can't", "couldn't", "won't", "wouldn't", "shouldn't", "hasn't",
        "haven't",
    ]

    private static func asksYesOrNo(_ question: String) -> Bool {
        let lower = question.lowercased()
        if lower.contains("yes or no") || lower.contains("true or false") { return true }
        guard let mark = lower.lastIndex(of: "?") else { return false }
        let head = lower[..<mark]
        var start = head.startIndex
        var index = head.startIndex
        while index < head.endIndex {
            let next = head.index(after: index)
            let isBoundary = head[index].isNewline
                || (".!?:".contains(head[index]) && (next == head.endIndex || head[next].isWhitespace))
            if isBoundary { start = next }
            index = next
        }
        let firstWord = head[start...].split(whereSeparator: { !$0.isLetter && $0 != "'" && $0 != "’" }).first
        return firstWord.map { auxiliaries.contains($0.replacingApostrophe()) } ?? false
    }
}

private extension Substring {
    func replacingApostrophe() -> String { String(map { $0 == "’" ? "'" : $0 }) }
}
