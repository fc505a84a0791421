import Foundation
import PonderReasoning
import PonderTesting
import Testing
@testable import PonderEval

/// The progress line's ETA weighs each question by its planned compute, so a run that starts with
/// cheap direct answers does not promise to finish its voted chains just as fast.
@Suite struct ProgressTests {
    @Test func plannedTokensGrowWithChainsAndBudgets() throws {
        let runner = EvalRunner(reasoner: Reasoner(model: arithmeticModel()))
        let problem = try #require(try ResumeTests.problems().first)
        func planned(_ strategy: StrategyKind, _ effort: Effort) -> Double {
            runner.plannedTokens(for: problem, setting: EvalSetting(strategy: strategy, effort: effort))
        }
        #expect(planned(.direct, .high) == 96)
        #expect(planned(.cot, .low) == 192 + 96)
        #expect(planned(.selfConsistency, .high) == 8 * (384 + 96))
        #expect(planned(.selfConsistency, .low) == 2 * (192 + 96), "voting needs at least two chains")
        #expect(planned(.bestOfN, .medium) > planned(.selfConsistency, .medium))
        let code = EvalProblem(id: "c", question: "q", expected: "", kind: .code,
                               code: CodeTask(prompt: "def f():\n", entryPoint: "f", test: "def check(c):\n    pass\n"))
        #expect(runner.plannedTokens(for: code, setting: EvalSetting(strategy: .direct, effort: .low)) == Double(EvalRunner.codeAnswerTokens))
    }

    @Test func theEtaUsesThePacePerPlannedToken() {
        var progress = EvalProgress(done: 10, total: 20, resumed: 0, setting: EvalSetting(strategy: .direct, effort: .low),
                                    correctInSetting: 0, gradedInSetting: 10, elapsedSeconds: 100, ranHere: 10)
        #expect(progress.etaSeconds == 100, "without work figures: the count-based pace")
        progress.workRanHere = 1_000
        progress.workDone = 1_000
        progress.workTotal = 11_000
        #expect(progress.etaSeconds == 1_000, "10 000 planned tokens left at 0.1 s per token")
        #expect(progress.line.hasSuffix("ETA 16m40s"))
        #expect(EvalProgress.duration(42) == "42s" && EvalProgress.duration(185) == "3m05s" && EvalProgress.duration(3_725) == "1h02m")
    }

    @Test func aSessionReportsItsPlannedWork() async throws {
        let problems = try ResumeTests.problems()
        let path = ResumeTests.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let session = try ResumeTests.session(model: arithmeticModel(), path: path)
        let last = Box()
        _ = try await session.run(problems, settings: ResumeTests.settings) { last.value = $0 }
        let expected = ResumeTests.settings.reduce(0.0) { sum, setting in
            sum + problems.reduce(0.0) { $0 + session.runner.plannedTokens(for: $1, setting: setting) }
        }
        let final = try #require(last.value)
        #expect(final.workTotal == expected && final.workDone == expected && final.workRanHere == expected)
        #expect(final.etaSeconds == 0)
    }
}

private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: EvalProgress?
    var value: EvalProgress? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
