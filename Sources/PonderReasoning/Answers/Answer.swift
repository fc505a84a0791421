/// A final answer in normal form, as ``AnswerExtractor`` reads it from text.
///
/// `==` compares the normal forms exactly; grade with ``AnswerEquivalence``, which compares numbers
/// within a tolerance and applies the percent rule.
///
/// ```swift
/// let answer = AnswerExtractor().extract(from: "So the answer is $1,000.", kind: .number)
/// answer?.description   // "1000"
/// ```
public enum Answer: Sendable, Hashable, CustomStringConvertible {
    /// A number; `\frac{1}{2}`, `0.5` and `1/2` are all the exact number 1/2.
    case number(ExactNumber)
    /// A percentage, holding the number written before the sign: `50%` is `.percent(50)`.
    /// Kept apart from ``number(_:)`` so ``AnswerEquivalence`` can decide whether `50%` means `0.5`.
    case percent(ExactNumber)
    /// A multiple-choice letter, uppercase `A`…`Z`.
    case choice(Character)
    /// Yes (`true`) or no (`false`).
    case yesNo(Bool)
    /// Free text, normalised: lowercased, Markdown `*` and `$` removed, whitespace collapsed,
    /// surrounding quotes and trailing punctuation removed.
    case text(String)

    /// The kind of question this answer fits.
    public var kind: AnswerKind {
        switch self {
        case .number, .percent: return .number
        case .choice: return .multipleChoice
        case .yesNo: return .yesNo
        case .text: return .text
        }
    }

    /// The canonical text: numbers as ``ExactNumber/description`` (`"1000"`, `"0.5"`, `"1/3"`),
    /// percentages with a `%` (`"50%"`), the letter (`"B"`), `"yes"` or `"no"`, or the normalised text.
    public var description: String {
        switch self {
        case let .number(value): return value.description
        case let .percent(value): return value.description + "%"
        case let .choice(letter): return String(letter)
        case let .yesNo(value): return value ? "yes" : "no"
        case let .text(text): return text
        }
    }
}
