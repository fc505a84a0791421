import Foundation
import Testing
@testable import PonderReasoning

@Suite struct AnswerExtractorTests {
    let extractor = AnswerExtractor()

    private func number(_ text: String) -> String? {
        extractor.extract(from: text, kind: .number)?.description
    }

    // MARK: Realistic model outputs

    @Test func chainEndingInTheAnswerIs() {
        let output = """
        Natalia sold 48 clips in April.
        In May she sold half as many: 48 / 2 = 24 clips.
        Together: 48 + 24 = 72 clips... wait, the question asks about 17 boxes of 4, so 17 × 4 = 68.
        So the answer is 68.
        """
        #expect(number(output) == "68")
    }

    @Test func gsm8kHashesWin() {
        let output = "She sold 48/2 = 24 clips in May.\nIn total 48 + 24 = 72 clips.\n#### 72"
        #expect(number(output) == "72")
    }

    @Test func markdownHeaderIsNotAGsm8kAnswer() {
        let output = "#### Step 1\nThe total is 3 + 4 = 7.\nThat is all."
        #expect(number(output) == "7")
    }

    @Test func boxedFractionWinsOverEverything() {
        let output = """
        The probability of heads is 1 out of 2 outcomes, and the answer is 2 outcomes.
        Therefore the probability is $\\boxed{\\frac{1}{2}}$. We checked 3 cases.
        """
        #expect(extractor.extract(from: output, kind: .number) == .number(ExactNumber(numerator: 1, denominator: 2)!))
    }

    @Test func lastBoxWins() {
        #expect(number("First guess \\boxed{3}, corrected: \\boxed{4}") == "4")
    }

    @Test func boxWithNestedBracesAndText() {
        #expect(number("\\boxed{\\text{\\$}1{,}234.50}") == "1234.5")
        #expect(number("$\\boxed{12 \\text{ apples}}$") == "12")
    }

    @Test func unclosedBoxFallsBack() {
        #expect(number("The total is 41, so \\boxed{42") == "42")
    }

    @Test func batAndBall() {
        let output = """
        Let the ball cost x. Then the bat costs x + 1.00 and x + (x + 1.00) = 1.10, so 2x = 0.10.
        The ball costs $0.05.
        """
        #expect(number(output) == "0.05")
    }

    @Test func answerColonWithChoice() {
        let output = "Lyon is not the capital (A is wrong). Paris is.\nAnswer: (C)"
        #expect(extractor.extract(from: output, kind: .multipleChoice) == .choice("C"))
    }

    @Test func finalAnswerPhrases() {
        #expect(number("Final answer: 1,250") == "1250")
        #expect(number("**Final Answer:** The final answer is $\\frac{3}{4}$. I hope it is correct.") == "0.75")
        #expect(number("The answer is: \n\n 42") == "42")
        #expect(number("The answer is 17 + 25 = 42.") == "42")
        #expect(number("The answer is 68 apples (17 × 4).") == "68")
        #expect(number("**Answer: 42**") == "42")
        #expect(number("16 - 3 - 4 = 9 eggs, 9 * 2 = 18.\nThe answer is $18.") == "18")
        #expect(number("It drops 5 degrees.\n#### -5") == "-5")
    }

    @Test func equalsOnTheLastLine() {
        #expect(number("Add them.\nTotal = 42 apples (in 3 boxes)") == "42")
    }

    @Test func lastNumberFallback() {
        #expect(number("There are 3 red and 4 blue, 7 balls") == "7")
        #expect(number("Area is 25 m^2") == "25")
    }

    @Test func percentIsKept() {
        #expect(extractor.extract(from: "The discount is 20%.", kind: .number) == .percent(ExactNumber(20)))
        #expect(number("So the answer is 12.5 percent") == "12.5%")
    }

    @Test func formulasStayText() {
        #expect(extractor.extract(from: "\\boxed{2\\sqrt{2}}", kind: .number) == .text("2√(2)"))
        #expect(extractor.extract(from: "\\boxed{3\\pi}", kind: .number) == .text("3π"))
    }

    // MARK: Numbers

    @Test(arguments: [
        ("1,000", "1000"), ("1,234,567.89", "1234567.89"), ("-3.5", "-3.5"), ("−4", "-4"), (".5", "0.5"),
        ("$1,234.50", "1234.5"), ("12 dollars", "12"), ("5 cm", "5"), ("3/4", "0.75"), ("1/3", "1/3"),
        ("2 1/2", "2.5"), ("-2 1/2", "-2.5"), ("1e3", "1000"), ("2.5E-1", "0.25"), ("twelve", "12"),
        ("twenty-five", "25"), ("50%", "50%"), ("x = -7", "-7"), ("\\frac{-6}{4}", "-1.5"),
        ("1\\,000", "1000"), ("1\u{202F}000", "1000"), ("£30", "30"), ("-$5", "-5"), ("$-5", "-5"),
        ("5°", "5"), ("90^\\circ", "90"),
    ])
    func readsNumbers(text: String, expected: String) {
        #expect(number(text) == expected)
    }

    @Test func listsAreNotThousands() {
        #expect(number("The numbers are 1, 2, 3") == "3")
        #expect(number("1,2,3") == "3")
        #expect(number("The answer is 1, 2 or 3") == "1")
    }

    @Test func rangesAreNotNegative() {
        #expect(number("between 3-5") == "5")
    }

    // MARK: Choices and yes/no

    @Test(arguments: ["B", "(B)", "b)", "[B]", "B. Paris", "The answer is B", "the answer is option B.",
                      "\\boxed{B}", "#### B", "I think (A) is wrong, so (B)", "Answer: b"])
    func readsChoiceB(text: String) {
        #expect(extractor.extract(from: text, kind: .multipleChoice) == .choice("B"))
    }

    @Test(arguments: ["A train leaves at noon", "I don't know", "", "1234"])
    func noChoiceIsInvented(text: String) {
        #expect(extractor.extract(from: text, kind: .multipleChoice) == nil)
    }

    @Test(arguments: [
        ("Yes", true), ("yes.", true), ("Yes, because 7 divides 91.", true), ("No", false), ("true", true),
        ("FALSE", false), ("The answer is no.", false), ("91 = 7 × 13.\nSo no, it is not prime.", false),
        ("Let me check.\nIt divides evenly, so yes", true), ("\\boxed{\\text{Yes}}", true),
    ])
    func readsYesNo(text: String, expected: Bool) {
        #expect(extractor.extract(from: text, kind: .yesNo) == .yesNo(expected))
    }

    @Test func textAnswers() {
        #expect(extractor.extract(from: "Reasoning...\nThe answer is Paris.", kind: .text) == .text("paris"))
        #expect(extractor.extract(from: "Thinking.\n  **Mount Everest**  ", kind: .text) == .text("mount everest"))
        #expect(extractor.extract(from: "\\boxed{\\text{Blue Whale}}", kind: .text) == .text("blue whale"))
    }

    // MARK: Edge cases

    @Test(arguments: AnswerKind.allCases)
    func emptyTextHasNoAnswer(kind: AnswerKind) {
        #expect(extractor.extract(from: "", kind: kind) == nil)
        #expect(extractor.extract(from: "  \n\t ", kind: kind) == nil)
    }

    @Test func noNumberMeansNil() {
        #expect(number("I am not sure what the question means.") == nil)
        #expect(number("The answer is unclear.") == nil)
    }

    @Test func hugeNumbersDoNotCrash() {
        #expect(number("123456789012345678901234567890") == "123456789012345678901234567890")
        #expect(number("-123456789012345678901234567890") == "-123456789012345678901234567890")
        #expect(number("1e99999") == nil)
        #expect(number("0.000000000000000000000001") == "1e-24")
        #expect(number(String(repeating: "9", count: 5_000)) == String(repeating: "9", count: 5_000))
        #expect(number("\\frac{99999999999999999999}{3}") != nil)
    }

    // Timed one case at a time: a debug build on a busy machine is slow, but anything quadratic
    // on 100 KB would take minutes, far past these limits.
    @Test(.serialized, arguments: [
        Garbage("50k open braces", String(repeating: "{", count: 50_000)),
        Garbage("10k unclosed boxes", String(repeating: "\\boxed{", count: 10_000)),
        Garbage("10k chained fractions", String(repeating: "\\frac{1}", count: 10_000)),
        Garbage("50k list commas", String(repeating: "1,", count: 50_000)),
        Garbage("5k answer phrases", String(repeating: "the answer is ", count: 5_000)),
        Garbage("10k open parens", String(repeating: "((((((B", count: 10_000)),
        Garbage("combining marks and symbols", String(repeating: "e\u{301}$%^\\", count: 20_000)),
        Garbage("100k minus signs", String(repeating: "-", count: 100_000)),
        Garbage("100k digits", String(repeating: "7", count: 100_000)),
        Garbage("100k random bytes", String(decoding: (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }, as: UTF8.self)),
    ])
    func garbageFinishesFast(garbage: Garbage) {
        let start = ContinuousClock.now
        for kind in AnswerKind.allCases {
            _ = extractor.extract(from: garbage.text, kind: kind)
        }
        // Generous for a loaded 2-core CI machine (and sanitizers); a quadratic scan of 100 KB would take far longer.
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    @Test func hundredKilobyteOutputFinishesFast() {
        var output = ""
        while output.utf8.count < 100_000 {
            output += "Step: we add 1,234 and 5/6 of $\\frac{3}{4}$, giving 2 1/2 = x^{2}. "
        }
        output += "\nSo the answer is 68."
        let start = ContinuousClock.now
        let answer = extractor.extract(from: output, kind: .number)
        let elapsed = ContinuousClock.now - start
        #expect(answer == .number(ExactNumber(68)))
        #expect(elapsed < .seconds(30))
    }
}

/// A long malformed input with a short name for test reports.
struct Garbage: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String

    init(_ name: String, _ text: String) {
        self.name = name
        self.text = text
    }

    var testDescription: String { name }
}
