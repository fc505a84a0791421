import PonderCore

/// Decides whether two answers are the same, by value: numbers within a relative tolerance, never
/// as raw strings.
///
/// Rules:
/// - **Numbers**: equal when their exact values are equal; two exact integers must be equal
///   exactly (so `1000000` ≠ `1000001` whatever the tolerance); otherwise
///   `|a − b| ≤ relativeTolerance × max(|a|, |b|)` (so `0` equals only `0`).
/// - **Percentages**: `50%` equals `50%` and `50`. It equals `0.5` (or `1/2`) **only** when the
///   question asks for a fraction, decimal, probability or proportion (it contains one of those
///   words); asked "what percent …", `0.5` is wrong.
/// - **Choices**: the same letter (`B`, `(B)`, `b)`, `The answer is B`, `B. Paris` are all B).
/// - **Yes/no**: the same value (`Yes, because…` and `true` are yes).
/// - **Text**: equal normalised text (case, spacing, Markdown marks, trailing punctuation ignored).
/// - Answers of different kinds (a number and a formula kept as text, say) are never equivalent.
///
/// ```swift
/// let grader = AnswerEquivalence.standard
/// grader.equivalent("1,000", "1000", kind: .number)                        // true
/// grader.equivalent("\\boxed{\\frac{1}{2}}", "0.5", kind: .number)        // true
/// grader.equivalent("50%", "0.5", kind: .number)                           // false
/// grader.equivalent("50%", "0.5", kind: .number,
///                   question: "What fraction of the class passed?")        // true
/// ```
public struct AnswerEquivalence: Sendable {
    /// The largest relative difference at which two non-integer numbers still match, in `[0, 1)`;
    /// `0` demands exact equality. Default `1e-6`.
    public let relativeTolerance: Double
    /// Reads answers out of the strings given to `equivalent(_:_:kind:question:)`.
    public let extractor: AnswerExtractor

    /// The default grader: relative tolerance `1e-6`.
    public static let standard = AnswerEquivalence(validatedTolerance: 1e-6)

    /// The words that make a question ask for a fraction, so that `50%` may equal `0.5`.
    public static let fractionWords = ["fraction", "decimal", "probability", "proportion"]

    /// Creates a grader.
    /// - Throws: `PonderError.invalidParameter` when `relativeTolerance` is not a finite number in `[0, 1)`.
    public init(relativeTolerance: Double = 1e-6, extractor: AnswerExtractor = AnswerExtractor()) throws {
        guard relativeTolerance.isFinite, relativeTolerance >= 0, relativeTolerance < 1 else {
            throw PonderError.invalidParameter(
                name: "relative_tolerance", value: "\(relativeTolerance)", expected: "a number in [0, 1)"
            )
        }
        self.init(validatedTolerance: relativeTolerance, extractor: extractor)
    }

    private init(validatedTolerance: Double, extractor: AnswerExtractor = AnswerExtractor()) {
        self.relativeTolerance = validatedTolerance
        self.extractor = extractor
    }

    /// Whether two texts (model outputs or reference answers) hold the same final answer of `kind`.
    /// `false` when an answer cannot be read from either text.
    /// - Parameter question: the question, used by the percent rule; `nil` means it does not ask
    ///   for a fraction.
    public func equivalent(_ a: String, _ b: String, kind: AnswerKind, question: String? = nil) -> Bool {
        guard let first = extractor.extract(from: a, kind: kind),
              let second = extractor.extract(from: b, kind: kind) else { return false }
        return equivalent(first, second, question: question)
    }

    /// Whether two extracted answers are the same.
    /// - Parameter question: the question, used by the percent rule; `nil` means it does not ask
    ///   for a fraction.
    public func equivalent(_ a: Answer, _ b: Answer, question: String? = nil) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)), let (.percent(x), .percent(y)):
            return numbersMatch(x, y)
        case let (.percent(percent), .number(number)), let (.number(number), .percent(percent)):
            if numbersMatch(percent, number) { return true }
            guard let question, Self.asksForFraction(question),
                  let fraction = percent.dividing(by: ExactNumber(100)) else { return false }
            return numbersMatch(fraction, number)
        case let (.choice(x), .choice(y)):
            return x.uppercased() == y.uppercased()
        case let (.yesNo(x), .yesNo(y)):
            return x == y
        case let (.text(x), .text(y)):
            return AnswerText.normalized(x) == AnswerText.normalized(y)
        default:
            return false
        }
    }

    /// Whether `question` asks for a fraction, decimal, probability or proportion (see ``fractionWords``).
    public static func asksForFraction(_ question: String) -> Bool {
        let lower = question.lowercased()
        return fractionWords.contains(where: lower.contains)
    }

    private func numbersMatch(_ x: ExactNumber, _ y: ExactNumber) -> Bool {
        if x == y { return true }
        if x.isInteger && y.isInteger { return false }
        let (a, b) = (x.doubleValue, y.doubleValue)
        guard a.isFinite, b.isFinite else { return false }
        return abs(a - b) <= relativeTolerance * max(abs(a), abs(b))
    }
}
