import Foundation
import PonderCore
import Testing
@testable import PonderEval

/// Every "a op b = c" in a worked solution, checked by computing it here.
private func equations(in solution: String) -> [(left: Int, op: String, right: Int, result: Int)] {
    let tokens = solution.split(whereSeparator: { $0 == " " || $0 == "\n" })
        .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".,")) }
    var found: [(Int, String, Int, Int)] = []
    var index = 0
    while index + 4 < tokens.count {
        if let left = Int(tokens[index]), ["+", "-", "×", "÷"].contains(tokens[index + 1]),
           let right = Int(tokens[index + 2]), tokens[index + 3] == "=", let result = Int(tokens[index + 4]) {
            found.append((left, tokens[index + 1], right, result))
            index += 5
        } else {
            index += 1
        }
    }
    return found
}

private func compute(_ left: Int, _ op: String, _ right: Int) -> Int? {
    switch op {
    case "+": return left + right
    case "-": return left - right
    case "×": return left * right
    default: return right != 0 && left % right == 0 ? left / right : nil
    }
}

@Suite struct WordProblemGeneratorTests {
    @Test func hasAtLeastEightTemplatesOfOneAndTwoSteps() {
        #expect(WordProblemTemplate.all.count >= 8)
        #expect(Set(WordProblemTemplate.all.map(\.name)).count == WordProblemTemplate.all.count)
        #expect(WordProblemTemplate.oneStep.allSatisfy { $0.steps == 1 })
        #expect(WordProblemTemplate.twoStep.allSatisfy { $0.steps == 2 })
    }

    @Test func everyTemplateComputesAPositiveIntegerItsSolutionShows() {
        for template in WordProblemTemplate.all {
            for index in 0..<200 {
                var draw = WordProblemTemplate.Draw(random: SplitMix64(seed: 11, index: index), large: index % 2 == 0)
                let output = template.build(&draw)
                #expect(output.answer > 0, "\(template.name): \(output.question)")
                let steps = equations(in: output.solution.joined(separator: "\n"))
                #expect(steps.count >= template.steps, "\(template.name)")
                for step in steps {
                    #expect(compute(step.left, step.op, step.right) == step.result, "\(template.name): \(output.solution)")
                }
                #expect(steps.last?.result == output.answer, "\(template.name)")
                #expect(output.question.hasSuffix("?"))
            }
        }
    }

    @Test(arguments: WordProblemGenerator.levels)
    func generatedAnswersArePositiveIntegersAndChecked(level: Int) throws {
        let problems = try WordProblemGenerator(seed: 2_024).generate(count: 150, difficulty: level)
        for problem in problems {
            let answer = try #require(Int(problem.expected), "\(problem.expected)")
            #expect(answer > 0)
            #expect(problem.kind == .number && problem.difficulty == level)
            let steps = equations(in: problem.solution ?? "")
            #expect(steps.count >= (level <= 2 ? 1 : 2), "\(problem.question)")
            #expect(steps.allSatisfy { compute($0.left, $0.op, $0.right) == $0.result })
            #expect(steps.last?.result == answer)
        }
        #expect(Set(problems.map { $0.question.prefix(12) }).count > 10)   // varied names and templates
    }

    @Test func largerLevelsUseLargerNumbers() throws {
        func meanAnswer(_ level: Int) throws -> Double {
            let problems = try WordProblemGenerator(seed: 5).generate(count: 300, difficulty: level)
            return Double(problems.compactMap { Int($0.expected) }.reduce(0, +)) / Double(problems.count)
        }
        #expect(try meanAnswer(2) > meanAnswer(1))
        #expect(try meanAnswer(4) > meanAnswer(3))
    }

    @Test func sameSeedIsByteIdenticalAndDifferentSeedDiffers() throws {
        let first = try ProblemGenerator(family: .wordProblems, seed: 99).generate(count: 40)
        let again = try ProblemGenerator(family: .wordProblems, seed: 99).generate(count: 40)
        let other = try ProblemGenerator(family: .wordProblems, seed: 100).generate(count: 40)
        #expect(try first.jsonLines() == again.jsonLines())
        #expect(first.map(\.question) != other.map(\.question))
        #expect(first.prefix(5).map(\.difficulty) == [1, 2, 3, 4, 1])
        #expect(first[0].id == "word-problems-99-1")
        #expect(throws: GeneratorError.invalidDifficulty(family: .wordProblems, value: 5, allowed: 1...4)) {
            try ProblemGenerator(family: .wordProblems, seed: 1).generate(count: 1, difficulty: 5)
        }
    }
}
