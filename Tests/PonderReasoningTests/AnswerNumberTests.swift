import Testing
@testable import PonderReasoning

@Suite struct AnswerNumberTests {
    @Test func fractionsAreReduced() throws {
        let half = try #require(ExactNumber(numerator: 2, denominator: -4))
        #expect(half.fraction?.numerator == -1)
        #expect(half.fraction?.denominator == 2)
        #expect(half == ExactNumber(numerator: -1, denominator: 2))
        #expect(half.doubleValue == -0.5)
        #expect(!half.isInteger)
    }

    @Test func zeroDenominatorIsRefused() {
        #expect(ExactNumber(numerator: 1, denominator: 0) == nil)
        #expect(ExactNumber(Double.nan) == nil)
        #expect(ExactNumber(Double.infinity) == nil)
    }

    @Test(arguments: [
        (1, 2, "0.5"), (-9, 4, "-2.25"), (1, 3, "1/3"), (2, 6, "1/3"), (1000, 1, "1000"), (1, 8, "0.125"),
        (-1, 40, "-0.025"), (5, 12, "5/12"), (0, 5, "0"),
    ])
    func canonicalDescription(numerator: Int, denominator: Int, expected: String) throws {
        #expect(try #require(ExactNumber(numerator: numerator, denominator: denominator)).description == expected)
    }

    @Test func extremesDoNotTrap() throws {
        #expect(ExactNumber(Int.min).description == "-9223372036854775808")
        #expect(ExactNumber(Int.min).isInteger)
        let ratio = try #require(ExactNumber(numerator: Int.min, denominator: 3))
        #expect(ratio.doubleValue < -3e18)
        let big = try #require(ExactNumber(numerator: Int.max, denominator: Int.max - 1))
        #expect(big.doubleValue > 0.99)
        #expect(ExactNumber(0.1)?.fraction == nil)
        #expect(ExactNumber(3.0) == ExactNumber(3))
    }

    @Test func answerDescriptions() {
        #expect(Answer.number(ExactNumber(1000)).description == "1000")
        #expect(Answer.percent(ExactNumber(50)).description == "50%")
        #expect(Answer.choice("B").description == "B")
        #expect(Answer.yesNo(true).description == "yes")
        #expect(Answer.yesNo(false).description == "no")
        #expect(Answer.text("paris").description == "paris")
        #expect(Answer.percent(ExactNumber(5)).kind == .number)
    }

    @Test func scannerFindsEveryNumberInOrder() {
        let found = NumberScanner.numbers(in: "Buy 3 pens at $1,250.50 each, 10% off, 2 1/2 hours, x^2, 3-5")
        #expect(found.map(\.value.description) == ["3", "1250.5", "10", "2.5", "2", "3", "5"])
        #expect(found.map(\.isPercent) == [false, false, true, false, false, false, false])
        #expect(found.map(\.isSuperscript) == [false, false, false, false, true, false, false])
    }

    @Test func datesAreNotFractions() {
        let found = NumberScanner.numbers(in: "on 3/4/2020")
        #expect(found.map(\.value.description) == ["3", "4", "2020"])
    }

    @Test(arguments: [
        ("\\frac{1}{2}", "1/2"), ("\\dfrac{3}{6}", "1/2"), ("2\\frac{1}{2}", "2 1/2"), ("\\frac12", "1/2"),
        ("\\frac{\\pi}{2}", "π/2"), ("\\frac{a+b}{2}", "(a+b)/2"), ("\\text{ cm}", "cm"), ("\\$5", "$5"),
        ("50\\%", "50%"), ("1{,}000", "1,000"), ("\\left( 1 \\right)", "( 1 )"), ("x^{10}", "x^(10)"),
        ("\\sqrt[3]{8}", "√(8)"), ("\\unknown{1}", "\\unknown1"),
    ])
    func latexIsCleaned(latex: String, expected: String) {
        #expect(LaTeXCleaner.clean(latex) == expected)
    }

    @Test func deepNestingIsBounded() {
        let deep = String(repeating: "\\frac{", count: 2_000) + "1" + String(repeating: "}{2}", count: 2_000)
        _ = LaTeXCleaner.clean(deep)   // must neither overflow the stack nor take long
    }

    @Test func normalisedText() {
        #expect(AnswerText.normalized("  The **Eiffel**  Tower. ") == "the eiffel tower")
        #expect(AnswerText.normalized("\"Hamlet!\"") == "hamlet")
        #expect(AnswerText.normalized("...") == "")
    }
}
