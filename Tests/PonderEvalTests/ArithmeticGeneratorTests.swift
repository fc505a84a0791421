import Foundation
import Testing
@testable import PonderEval

/// Reads "What is 23 + 45 × 3?" back into operands and operators and computes it here, with its
/// own precedence code, so the generator's answers are checked independently.
private struct ParsedQuestion {
    let operands: [Int]
    let operators: [String]

    init?(_ question: String) {
        guard question.hasPrefix("What is "), question.hasSuffix("?") else { return nil }
        let tokens = question.dropFirst("What is ".count).dropLast().split(separator: " ").map(String.init)
        guard tokens.count % 2 == 1 else { return nil }
        var operands: [Int] = []
        var operators: [String] = []
        for (position, token) in tokens.enumerated() {
            if position % 2 == 0 {
                guard let value = Int(token) else { return nil }
                operands.append(value)
            } else {
                guard ["+", "-", "×", "÷"].contains(token) else { return nil }
                operators.append(token)
            }
        }
        self.operands = operands
        self.operators = operators
    }

    /// The value, or `nil` when a division leaves a remainder.
    var value: Int? {
        var values = [operands[0]]
        var signs: [String] = []
        for (op, operand) in zip(operators, operands.dropFirst()) {
            switch op {
            case "×": values[values.count - 1] *= operand
            case "÷":
                guard operand != 0, values[values.count - 1] % operand == 0 else { return nil }
                values[values.count - 1] /= operand
            default:
                signs.append(op)
                values.append(operand)
            }
        }
        var total = values[0]
        for (sign, value) in zip(signs, values.dropFirst()) { total = sign == "+" ? total + value : total - value }
        return total
    }

    /// The operands that are not dividends (a dividend is a term's first operand when a `÷` follows
    /// in its term).
    var nonDividends: [Int] {
        var dividends: Set<Int> = []
        var termStart = 0
        for (position, op) in operators.enumerated() {
            if op == "+" || op == "-" { termStart = position + 1 }
            if op == "÷" { dividends.insert(termStart) }
        }
        return operands.indices.filter { !dividends.contains($0) }.map { operands[$0] }
    }
}

@Suite struct ArithmeticGeneratorTests {
    @Test func twoDigitAdditionIsExactlyABPlusCD() throws {
        let options = try ArithmeticOptions(digits: 2, operations: 1, operators: [.add])
        let problems = try ArithmeticGenerator(seed: 42).generate(count: 200, options: options)
        for problem in problems {
            let parsed = try #require(ParsedQuestion(problem.question))
            #expect(parsed.operators == ["+"])
            #expect(parsed.operands.allSatisfy { (10...99).contains($0) }, "\(problem.question)")
            #expect(problem.expected == String(parsed.operands[0] + parsed.operands[1]))
            #expect(problem.solution == "\(parsed.operands[0]) + \(parsed.operands[1]) = \(problem.expected)")
        }
        #expect(problems[0].difficulty == 2)   // level 2 is 2 digits, 1 operation
        #expect(problems[0].id == "arithmetic-42-1")
    }

    @Test(arguments: 1...6)
    func answersMatchAnIndependentEvaluation(level: Int) throws {
        let problems = try ProblemGenerator(family: .arithmetic, seed: UInt64(level) * 1_000).generate(count: 300, difficulty: level)
        for problem in problems {
            let parsed = try #require(ParsedQuestion(problem.question), "\(problem.question)")
            let value = try #require(parsed.value, "inexact division in \(problem.question)")
            #expect(problem.expected == String(value), "\(problem.question)")
            #expect(problem.kind == .number)
            #expect(problem.difficulty == level)
            #expect(problem.solution?.hasSuffix("= \(problem.expected)") == true)
        }
    }

    @Test func difficultyGradesDigitsAndOperations() throws {
        var previous = (digits: 0, operations: 0)
        var seenDivision = false
        for level in 1...6 {
            let options = ArithmeticOptions.levels[level - 1]
            #expect(options.digits >= previous.digits && options.operations >= previous.operations)
            #expect(options.digits + options.operations > previous.digits + previous.operations)
            previous = (options.digits, options.operations)
            let problems = try ProblemGenerator(family: .arithmetic, seed: 9).generate(count: 100, difficulty: level)
            for problem in problems {
                let parsed = try #require(ParsedQuestion(problem.question))
                #expect(parsed.operators.count == options.operations)
                // Every operand but a dividend has exactly the level's digits; dividends have at least as many.
                #expect(parsed.nonDividends.allSatisfy { String($0).count == options.digits }, "\(problem.question)")
                #expect(parsed.operands.allSatisfy { String($0).count >= options.digits }, "\(problem.question)")
                seenDivision = seenDivision || parsed.operators.contains("÷")
            }
        }
        #expect(ArithmeticOptions.levels.first?.digits == 1 && ArithmeticOptions.levels.last?.digits == 4)
        #expect(seenDivision)
    }

    @Test func divisionOnlyQuestionsAreExact() throws {
        let options = try ArithmeticOptions(digits: 4, operations: 3, operators: [.divide])
        for problem in try ArithmeticGenerator(seed: 3).generate(count: 100, options: options) {
            let parsed = try #require(ParsedQuestion(problem.question))
            #expect(parsed.operators == ["÷", "÷", "÷"])
            #expect(parsed.value.map(String.init) == problem.expected, "\(problem.question)")
            #expect(parsed.operands.dropFirst().allSatisfy { (1_000...9_999).contains($0) })
        }
    }

    @Test func singleSubtractionIsNeverNegative() throws {
        let options = try ArithmeticOptions(digits: 3, operations: 1, operators: [.subtract])
        let problems = try ArithmeticGenerator(seed: 5).generate(count: 200, options: options)
        #expect(problems.allSatisfy { Int($0.expected)! >= 0 })
    }

    @Test func sameSeedIsByteIdenticalAndDifferentSeedDiffers() throws {
        let first = try ProblemGenerator(family: .arithmetic, seed: 7).generate(count: 60)
        let again = try ProblemGenerator(family: .arithmetic, seed: 7).generate(count: 60)
        let other = try ProblemGenerator(family: .arithmetic, seed: 8).generate(count: 60)
        #expect(try first.jsonLines() == again.jsonLines())
        #expect(first.map(\.question) != other.map(\.question))
        // Problem i does not depend on the count.
        let prefix = try ProblemGenerator(family: .arithmetic, seed: 7).generate(count: 10)
        #expect(prefix == Array(first.prefix(10)))
        // A mixed set cycles through the levels.
        #expect(first.prefix(7).map(\.difficulty) == [1, 2, 3, 4, 5, 6, 1])
    }

    @Test func invalidOptionsThrow() throws {
        #expect(throws: GeneratorError.self) { try ArithmeticOptions(digits: 5, operations: 1) }
        #expect(throws: GeneratorError.self) { try ArithmeticOptions(digits: 2, operations: 0) }
        #expect(throws: GeneratorError.self) { try ArithmeticOptions(digits: 2, operations: 1, operators: []) }
        #expect(throws: GeneratorError.invalidDifficulty(family: .arithmetic, value: 7, allowed: 1...6)) {
            try ProblemGenerator(family: .arithmetic, seed: 1).generate(count: 1, difficulty: 7)
        }
        #expect(throws: GeneratorError.invalidCount(-1)) {
            try ProblemGenerator(family: .arithmetic, seed: 1).generate(count: -1)
        }
        #expect(try ProblemGenerator(family: .arithmetic, seed: 1).generate(count: 0).isEmpty)
    }
}
