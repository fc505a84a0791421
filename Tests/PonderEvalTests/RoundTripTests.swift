import Foundation
import Testing
@testable import PonderEval

@Suite struct RoundTripTests {
    @Test(arguments: ProblemGenerator.Family.allCases)
    func generatedProblemsRoundTripThroughTheLoader(family: ProblemGenerator.Family) throws {
        let directory = try TemporaryDirectory()
        let problems = try ProblemGenerator(family: family, seed: 31).generate(count: 50)
        let url = directory.url.appendingPathComponent("\(family.rawValue).jsonl")
        try problems.write(to: url)
        #expect(try DatasetLoader.load(path: url.path) == problems)
        #expect(try DatasetLoader.load(path: url.path, limit: 3) == Array(problems.prefix(3)))
    }

    @Test func writesGSM8KStyleLines() throws {
        let options = try ArithmeticOptions(digits: 2, operations: 1, operators: [.add])
        let problem = try #require(try ArithmeticGenerator(seed: 1).generate(count: 1, options: options).first)
        let line = String(decoding: try [problem].jsonLines(), as: UTF8.self)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
        #expect(object["question"] as? String == problem.question)
        #expect(object["answer"] as? String == "\(problem.solution!)\n#### \(problem.expected)")
        #expect(object["difficulty"] as? Int == 2)
        #expect(line.hasPrefix("{\"answer\":"))   // sorted keys: stable bytes
    }

    @Test func problemsWithoutSolutionOrDifficultyStillRoundTrip() throws {
        let problems = [
            EvalProblem(id: "a", question: "What is 2 - 5?", expected: "-3", kind: .number),
            EvalProblem(id: "b", question: "Half of 1?", expected: "0.5", kind: .number, difficulty: 1, solution: "1 ÷ 2 = 0.5"),
        ]
        let text = String(decoding: try problems.jsonLines(), as: UTF8.self)
        #expect(!text.contains("difficulty\":null"))
        #expect(try DatasetLoader.parse(text) == problems)
    }
}
