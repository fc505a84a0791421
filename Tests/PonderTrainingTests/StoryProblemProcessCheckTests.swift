import PonderEval
import Testing
@testable import PonderTraining

/// The worked solutions of story problems pass the process check STaR applies to chains: every
/// step's claim is found by `ArithmeticClaimFinder`, checked exactly, and the last one reaches the
/// expected answer (cents included).
@Suite struct StoryProblemProcessCheckTests {
    @Test(arguments: 1...6)
    func everySolutionStepIsFoundAndTrue(level: Int) throws {
        let verifier = try #require(TrainingVerifiers.arithmetic)
        let problems = try ProblemGenerator(family: .storyProblems, seed: 41).generate(count: 400, difficulty: level)
        let steps = (level + 1) / 2
        for problem in problems {
            let solution = try #require(problem.solution)
            let verdict = verifier.verify(reasoning: solution)
            #expect(verdict.isSound, "\(problem.template ?? ""): \(verdict.falseStep ?? "") in \(solution)")
            #expect(verdict.checkedSteps == steps, "\(problem.template ?? ""): \(solution)")
            #expect(verdict.results.last == problem.expected, "\(problem.template ?? ""): \(solution) vs \(problem.expected)")
            #expect(solution.split(separator: "\n").allSatisfy { ArithmeticClaimFinder.claims(in: String($0)).count == 1 })
        }
    }
}
