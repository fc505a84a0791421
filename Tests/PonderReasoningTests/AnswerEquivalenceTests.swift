import PonderCore
import Testing
@testable import PonderReasoning

/// One row of the equivalence table.
struct EquivalenceCase: Sendable, CustomTestStringConvertible {
    let a: String
    let b: String
    let kind: AnswerKind
    let question: String?
    let expected: Bool

    init(_ a: String, _ b: String, _ kind: AnswerKind, question: String? = nil, _ expected: Bool) {
        self.a = a
        self.b = b
        self.kind = kind
        self.question = question
        self.expected = expected
    }

    /// A number case.
    init(_ a: String, _ b: String, question: String? = nil, _ expected: Bool) {
        self.init(a, b, .number, question: question, expected)
    }

    var testDescription: String {
        "\(a.debugDescription) \(expected ? "==" : "!=") \(b.debugDescription) [\(kind)]\(question.map { " q: \($0)" } ?? "")"
    }
}

private let fractionQuestion = "What fraction of the students passed?"
private let probabilityQuestion = "What is the probability of rolling an even number?"
private let percentQuestion = "What percent of the students passed?"

private let equivalenceTable: [EquivalenceCase] = [
    // Integers, separators, currency and units
    EquivalenceCase("1,000", "1000", true),
    EquivalenceCase("1000", "100", false),
    EquivalenceCase("1,234,567", "1234567", true),
    EquivalenceCase("1 000", "1000", true),
    EquivalenceCase("$1,234.50", "1234.5", true),
    EquivalenceCase("\\$1,234.50", "1234.50", true),
    EquivalenceCase("12 dollars", "12", true),
    EquivalenceCase("5 cm", "5", true),
    EquivalenceCase("$5", "5.00", true),
    EquivalenceCase("€20", "20", true),
    EquivalenceCase("-$5", "-5", true),
    EquivalenceCase("-5", "5", false),
    EquivalenceCase("72", "#### 72", true),
    EquivalenceCase("1000000", "1000001", false),
    EquivalenceCase("1e3", "1000", true),
    EquivalenceCase("twelve", "12", true),
    EquivalenceCase("007", "7", true),
    // Decimals and fractions
    EquivalenceCase("0.5", "1/2", true),
    EquivalenceCase("0.5", "5", false),
    EquivalenceCase(".5", "0.5", true),
    EquivalenceCase("-3.5", "-7/2", true),
    EquivalenceCase("3.50", "3.5", true),
    EquivalenceCase("2 1/2", "2.5", true),
    EquivalenceCase("2\\frac{1}{2}", "5/2", true),
    EquivalenceCase("3/4", "0.75", true),
    EquivalenceCase("3/4", "4/3", false),
    EquivalenceCase("1/3", "0.3333333333", true),
    EquivalenceCase("1/3", "0.33", false),
    EquivalenceCase("0.1", "0.10000000001", true),
    EquivalenceCase("0", "0.0", true),
    EquivalenceCase("0", "0.000001", false),
    // LaTeX
    EquivalenceCase("\\boxed{\\frac{1}{2}}", "0.5", true),
    EquivalenceCase("\\boxed{\\frac{1}{2}}", "1/2", true),
    EquivalenceCase("$\\boxed{\\dfrac{3}{4}}$", "0.75", true),
    EquivalenceCase("\\boxed{\\tfrac{2}{4}}", "\\frac12", true),
    EquivalenceCase("\\boxed{-\\frac{1}{3}}", "-1/3", true),
    EquivalenceCase("\\boxed{\\frac{\\frac{1}{2}}{3}}", "1/6", true),
    EquivalenceCase("\\boxed{1{,}000}", "1000", true),
    EquivalenceCase("\\boxed{5\\text{ cm}}", "5", true),
    EquivalenceCase("\\boxed{x = 5}", "5", true),
    EquivalenceCase("\\boxed{2\\sqrt{2}}", "2\\sqrt{2}", true),
    EquivalenceCase("\\boxed{2\\sqrt{2}}", "2", false),
    EquivalenceCase("\\boxed{\\frac{1}{2}}", "\\boxed{\\frac{1}{3}}", false),
    // Percentages: equal to the bare number; equal to the fraction only when a fraction is asked for
    EquivalenceCase("50%", "50", true),
    EquivalenceCase("50%", "50 percent", true),
    EquivalenceCase("50\\%", "50%", true),
    EquivalenceCase("50%", "0.5", false),
    EquivalenceCase("50%", "0.5", question: fractionQuestion, true),
    EquivalenceCase("50%", "1/2", question: fractionQuestion, true),
    EquivalenceCase("0.5", "50%", question: probabilityQuestion, true),
    EquivalenceCase("50%", "0.5", question: percentQuestion, false),
    EquivalenceCase("25%", "0.5", question: fractionQuestion, false),
    EquivalenceCase("12.5%", "1/8", question: "Express the proportion as a decimal.", true),
    // Multiple choice
    EquivalenceCase("B", "(B)", .multipleChoice, true),
    EquivalenceCase("b)", "B", .multipleChoice, true),
    EquivalenceCase("The answer is B", "B", .multipleChoice, true),
    EquivalenceCase("B. Paris", "B", .multipleChoice, true),
    EquivalenceCase("Answer: (C)", "C", .multipleChoice, true),
    EquivalenceCase("\\boxed{\\text{D}}", "D", .multipleChoice, true),
    EquivalenceCase("**B**", "B", .multipleChoice, true),
    EquivalenceCase("B", "C", .multipleChoice, false),
    EquivalenceCase("(A)", "B", .multipleChoice, false),
    EquivalenceCase("a dog", "A", .multipleChoice, false),
    // Yes / no
    EquivalenceCase("Yes", "yes.", .yesNo, true),
    EquivalenceCase("Yes, because 91 = 7 × 13.", "yes", .yesNo, true),
    EquivalenceCase("true", "Yes", .yesNo, true),
    EquivalenceCase("False", "no", .yesNo, true),
    EquivalenceCase("NO!", "no", .yesNo, true),
    EquivalenceCase("yes", "no", .yesNo, false),
    EquivalenceCase("The answer is no.", "yes", .yesNo, false),
    // Text
    EquivalenceCase("Paris", "paris.", .text, true),
    EquivalenceCase("  The  Eiffel   Tower ", "the eiffel tower", .text, true),
    EquivalenceCase("\"Hamlet\"", "hamlet", .text, true),
    EquivalenceCase("Paris", "London", .text, false),
    // Nothing to read is never equivalent
    EquivalenceCase("", "", false),
    EquivalenceCase("no idea", "no idea", .number, false),
    EquivalenceCase("", "", .text, false),
]

@Suite struct AnswerEquivalenceTests {
    @Test func tableHasAtLeastSixtyCases() {
        #expect(equivalenceTable.count >= 60)
    }

    @Test(arguments: equivalenceTable)
    func equivalence(_ row: EquivalenceCase) {
        let grader = AnswerEquivalence.standard
        #expect(grader.equivalent(row.a, row.b, kind: row.kind, question: row.question) == row.expected)
        // The relation is symmetric.
        #expect(grader.equivalent(row.b, row.a, kind: row.kind, question: row.question) == row.expected)
    }

    @Test func toleranceIsConfigurable() throws {
        let loose = try AnswerEquivalence(relativeTolerance: 1e-3)
        #expect(loose.equivalent("3.1416", "3.14159", kind: .number))
        #expect(!AnswerEquivalence.standard.equivalent("3.1416", "3.14159", kind: .number))
        let exact = try AnswerEquivalence(relativeTolerance: 0)
        #expect(!exact.equivalent("1/3", "0.3333333333", kind: .number))
        #expect(exact.equivalent("0.5", "1/2", kind: .number))
    }

    @Test(arguments: [-1e-6, 1, 2, .nan, .infinity])
    func invalidToleranceIsRefused(tolerance: Double) {
        #expect {
            _ = try AnswerEquivalence(relativeTolerance: tolerance)
        } throws: { error in
            guard case let PonderError.invalidParameter(name, _, _) = error else { return false }
            return name == "relative_tolerance"
        }
    }

    @Test func integersCompareExactlyEvenWithALooseTolerance() throws {
        let loose = try AnswerEquivalence(relativeTolerance: 0.1)
        #expect(!loose.equivalent("1000", "1001", kind: .number))
        #expect(loose.equivalent("1000", "1000.5", kind: .number))
    }

    @Test func hugeIntegersCompareExactly() {
        let grader = AnswerEquivalence.standard
        #expect(grader.equivalent("123456789012345678901234567890", "123,456,789,012,345,678,901,234,567,890", kind: .number))
        #expect(!grader.equivalent("123456789012345678901234567890", "123456789012345678901234567891", kind: .number))
        #expect(grader.equivalent("1e30", "1000000000000000000000000000000", kind: .number))
    }

    @Test func answersOfDifferentKindsNeverMatch() {
        let grader = AnswerEquivalence.standard
        #expect(!grader.equivalent(.number(ExactNumber(1)), .yesNo(true)))
        #expect(!grader.equivalent(.choice("A"), .text("a")))
        #expect(!grader.equivalent(.number(ExactNumber(2)), .text("2")))
    }

    @Test func textIsComparedNormalised() {
        #expect(AnswerEquivalence.standard.equivalent(.text("Paris"), .text("paris!")))
    }

    @Test func fractionQuestionsAreRecognised() {
        #expect(AnswerEquivalence.asksForFraction(fractionQuestion))
        #expect(AnswerEquivalence.asksForFraction("Give the answer as a DECIMAL."))
        #expect(!AnswerEquivalence.asksForFraction(percentQuestion))
    }
}
