import Foundation
import Testing
@testable import PonderEval

@Suite struct ProblemSourceTests {
    @Test func datasetSourceLoadsTheFileUpToTheLimit() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("sums.jsonl", try jsonLines([
            ["question": "What is 1 + 1?", "answer": "#### 2"],
            ["question": "What is 2 + 2?", "answer": "#### 4"],
            ["question": "What is 3 + 3?", "answer": "#### 6"],
        ]))
        let all = ProblemSource.dataset(path)
        let expected = try DatasetLoader.load(path: path)
        #expect(try all.problems() == expected)
        #expect(all.description == path)
        let first = ProblemSource.dataset(path, limit: 2)
        #expect(try first.problems().map(\.expected) == ["2", "4"])
        #expect(first.description == path + " (first 2)")
    }

    @Test func generatedSourceDispatchesToTheFamilyGenerator() throws {
        let words = ProblemSource.generated(.init(family: .wordProblems, seed: 3, count: 6, difficulty: 2))
        let expected = try ProblemGenerator(family: .wordProblems, seed: 3).generate(count: 6, difficulty: 2)
        #expect(try words.problems() == expected)
        #expect(words.description == "generated word-problems count=6 seed=3 difficulty=2")

        let levels = ProblemSource.generated(.init(family: .arithmetic, seed: 5, count: 8), limit: 3)
        let expectedLevels = try Array(ProblemGenerator(family: .arithmetic, seed: 5).generate(count: 8).prefix(3))
        #expect(try levels.problems() == expectedLevels)
        #expect(levels.description == "generated arithmetic count=3 seed=5")
    }

    @Test func arithmeticShapeUsesTheArithmeticGeneratorAndKeepsTheOperatorsAsGiven() throws {
        let shape = ProblemSource.ArithmeticShape(digits: 2, operations: 2, operators: "+, ×,?")
        #expect(shape.parsedOperators == [.add, .multiply])
        let source = ProblemSource.generated(.init(family: .arithmetic, seed: 9, count: 5, difficulty: 1, arithmetic: shape))
        let options = try ArithmeticOptions(digits: 2, operations: 2, operators: [.add, .multiply])
        let expected = try ArithmeticGenerator(seed: 9).generate(count: 5, options: options)
        #expect(try source.problems() == expected)
        #expect(source.description == "generated arithmetic count=5 seed=9 difficulty=1 digits=2 operations=2 operators=+, ×,?")
    }

    @Test func arithmeticShapeIsIgnoredForWordProblems() throws {
        let shape = ProblemSource.ArithmeticShape(digits: 3)
        let source = ProblemSource.generated(.init(family: .wordProblems, seed: 1, count: 4, arithmetic: shape))
        let expected = try ProblemGenerator(family: .wordProblems, seed: 1).generate(count: 4)
        #expect(try source.problems() == expected)
        #expect(source.description == "generated word-problems count=4 seed=1")
    }

    @Test func badInputThrowsATypedError() throws {
        let missing = "/nonexistent/ponder/problems.jsonl"
        #expect(throws: ProblemSourceError.dataset(.fileNotFound(path: missing))) { try ProblemSource.dataset(missing).problems() }
        let noOperators = ProblemSource.ArithmeticShape(digits: 2, operators: "plus,minus")
        #expect(throws: ProblemSourceError.noKnownOperators("plus,minus")) {
            try ProblemSource.generated(.init(family: .arithmetic, seed: 0, count: 1, arithmetic: noOperators)).problems()
        }
        #expect(throws: ProblemSourceError.generator(.invalidOptions("digits 9: expected 1 to 4"))) {
            try ProblemSource.generated(.init(family: .arithmetic, seed: 0, count: 1, arithmetic: .init(digits: 9))).problems()
        }
        #expect(throws: ProblemSourceError.generator(.invalidDifficulty(family: .wordProblems, value: 7, allowed: 1...4))) {
            try ProblemSource.generated(.init(family: .wordProblems, seed: 0, count: 1, difficulty: 7)).problems()
        }
        #expect(throws: ProblemSourceError.invalidLimit(0)) {
            try ProblemSource.generated(.init(family: .wordProblems, seed: 0, count: 1), limit: 0).problems()
        }
    }

    @Test func wrappedErrorsKeepTheirMessages() {
        let dataset = DatasetError.fileNotFound(path: "x.jsonl")
        #expect(ProblemSourceError.dataset(dataset).description == dataset.description)
        let generator = GeneratorError.invalidCount(-1)
        #expect(ProblemSourceError.generator(generator).description == generator.description)
        #expect(ProblemSourceError.noKnownOperators("%").description == "operators '%' name none of + - × ÷")
    }
}
