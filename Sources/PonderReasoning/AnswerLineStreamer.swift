/// Streams a chain's answer while it is generated, by the rule `ChainSteerer.parts` uses for the
/// finished answer: leading whitespace is skipped, whitespace is held back until more text follows
/// it, and with `endsAtNewline` only the first non-empty line counts. Everything it emits,
/// concatenated, is the chain's final (trimmed) answer.
struct AnswerLineStreamer: Sendable {
    let endsAtNewline: Bool
    private var started = false
    private var held = ""
    private(set) var ended = false

    init(endsAtNewline: Bool) {
        self.endsAtNewline = endsAtNewline
    }

    /// Feeds the next piece of answer text; returns what can be shown now (possibly empty).
    mutating func feed(_ piece: String) -> String {
        guard !ended else { return "" }
        var shown = ""
        for character in piece {
            if endsAtNewline, started, character == "\n" {
                ended = true
                break
            }
            if character.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                if started { held.append(character) }
                continue
            }
            started = true
            shown += held
            held = ""
            shown.append(character)
        }
        return shown
    }
}
