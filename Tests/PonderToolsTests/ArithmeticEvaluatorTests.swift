import Testing
@testable import PonderTools

/// The evaluator's contract: exact results, precedence, bounded sizes, and refusal of anything
/// that is not arithmetic.
@Suite struct ArithmeticEvaluatorTests {
    static let table: [(String, String)] = [
        ("23 + 45", "68"), ("12 + 7", "19"), ("99 + 1", "100"), ("84 - 34", "50"), ("34 - 84", "-50"),
        ("6 * 7", "42"), ("6 × 7", "42"), ("6 x 7", "42"), ("6 X 7", "42"), ("6·7", "42"),
        ("56 / 8", "7"), ("56 ÷ 8", "7"), ("7 / 2", "3.5"), ("1 / 3", "0.333333"), ("2 / 3", "0.666667"),
        ("1 / 8", "0.125"), ("-1 / 8", "-0.125"), ("2 + 3 * 4", "14"), ("(2 + 3) * 4", "20"), ("2 * 3 + 4", "10"),
        ("10 - 4 - 3", "3"), ("100 / 10 / 5", "2"), ("2 ^ 10", "1024"), ("2 ** 10", "1024"), ("2 ^ 3 ^ 2", "512"),
        ("-2 ^ 2", "-4"), ("(-2) ^ 2", "4"), ("2 ^ -2", "0.25"), ("-5 + 3", "-2"), ("3 × -2", "-6"),
        ("- -4", "4"), ("15%", "0.15"), ("15% of 80", "12"), ("50% * 30", "15"), ("200 * 5%", "10"),
        ("1,250 + 750", "2000"), ("1,000,000 / 1,000", "1000"), ("$40 + $2.50", "42.5"), ("2.5 + 2.5", "5"), (".5 * 4", "2"),
        ("0.1 + 0.2", "0.3"), ("1.05 * 100", "105"), ("[3 + 4] * 2", "14"), ("((1 + 2) * (3 + 4))", "21"), ("0 * 123456", "0"),
        ("12345678901234567890 * 10", "123456789012345678900"), ("99999999999 * 99999999999", "9999999999800000000001"),
        ("10 ^ 30 + 1", "1000000000000000000000000000001"), ("22 / 7", "3.142857"), ("1 − 2", "-1"),
        ("3 – 1", "2"), ("4 + 4 / 4", "5"), ("7 % * 100", "7"), ("0 ^ 0", "1"), ("5 - 5", "0"),
    ]

    @Test("at least 50 expressions evaluate to their exact result", arguments: table)
    func evaluates(expression: String, expected: String) throws {
        #expect(try ArithmeticEvaluator.evaluate(expression).description == expected)
    }

    @Test func tableIsLargeEnough() { #expect(Self.table.count >= 50) }

    @Test func exactRationalsStayExact() throws {
        let third = try ArithmeticEvaluator.evaluate("1 / 3")
        #expect(third.numerator == 1 && third.denominator == 3)
        #expect(try ArithmeticEvaluator.evaluate("1 / 3 * 3").description == "1")
        #expect(try ArithmeticEvaluator.evaluate("0.1 + 0.2") == ArithmeticEvaluator.evaluate("3 / 10"))
    }

    @Test("division by zero is a clear error", arguments: ["5 / 0", "5 ÷ (3 - 3)", "0 ^ -1", "1 / (2 - 2) + 4"])
    func divisionByZero(expression: String) {
        #expect(throws: CalculatorError.divisionByZero) { try ArithmeticEvaluator.evaluate(expression) }
    }

    @Test("huge numbers are bounded, not computed", arguments: ["10 ^ 1000", "99999 ^ 99999", "2 ^ 100000", "(10 ^ 200) * (10 ^ 250)", String(repeating: "9", count: 450) + " + 1"])
    func hugeNumbers(expression: String) {
        #expect(throws: CalculatorError.tooLarge) { try ArithmeticEvaluator.evaluate(expression) }
    }

    @Test("anything that is not arithmetic is refused", arguments: [
        "x + 1", "abs(-3)", "__import__('os')", "os.system('ls')", "a.b", "2 + y", "print(1)", "3 +", "(3 + 4",
        "3 + 4)", "", "2 2", "1e5", "'3' + '4'", "3; 4", "2 ** ** 2", "[1, 2]", "lambda: 1", "sqrt(4)", "3 & 4",
        "3 == 3", "import os", "2x + 3", "x 3", "eval('1')", String(repeating: "(", count: 80) + "1" + String(repeating: ")", count: 80),
    ])
    func refuses(expression: String) {
        #expect(throws: (any Error).self) { try ArithmeticEvaluator.evaluate(expression) }
        do {
            _ = try ArithmeticEvaluator.evaluate(expression)
        } catch {
            if case .notArithmetic = error {} else { Issue.record("\(expression): expected notArithmetic, got \(error)") }
        }
    }

    @Test func fractionalPowersAreUnsupported() {
        #expect(throws: CalculatorError.unsupported("fractional powers")) { try ArithmeticEvaluator.evaluate("4 ^ 0.5") }
    }

    @Test func errorsReadAsOneLine() {
        for error in [CalculatorError.divisionByZero, .tooLarge, .notArithmetic("names are not arithmetic"), .unsupported("fractional powers")] {
            #expect(!error.description.contains("\n") && !error.description.isEmpty)
        }
    }
}
