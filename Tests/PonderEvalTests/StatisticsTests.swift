import Testing
@testable import PonderEval
import PonderReasoning

@Suite("pass@k and the paired test")
struct StatisticsTests {
    @Test("pass@k matches the closed form 1 - C(n-c,k)/C(n,k)")
    func passAtK() throws {
        func choose(_ n: Int, _ k: Int) -> Double {
            guard k >= 0, k <= n else { return 0 }
            return (0..<k).reduce(1.0) { $0 * Double(n - $1) / Double($1 + 1) }
        }
        for n in 1...12 {
            for c in 0...n {
                for k in 1...n {
                    let expected = 1 - choose(n - c, k) / choose(n, k)
                    let value = try #require(PassAtK.estimate(samples: n, correct: c, k: k))
                    #expect(abs(value - expected) < 1e-12, "n=\(n) c=\(c) k=\(k)")
                }
            }
        }
        #expect(abs(try #require(PassAtK.estimate(samples: 10, correct: 3, k: 1)) - 0.3) < 1e-12)
        #expect(PassAtK.estimate(samples: 4, correct: 0, k: 2) == 0)
        #expect(PassAtK.estimate(samples: 4, correct: 3, k: 2) == 1)
        #expect(PassAtK.estimate(samples: 4, correct: 1, k: 5) == nil)
        #expect(PassAtK.estimate(samples: 0, correct: 0, k: 1) == nil)
    }

    @Test("exact McNemar p-values match the binomial tail")
    func mcNemar() {
        #expect(PairedComparison.exactMcNemar(wins: 0, losses: 0) == 1)
        // 2 · P(X ≤ 0), X ~ Bin(6, 1/2) = 2/64
        #expect(abs(PairedComparison.exactMcNemar(wins: 6, losses: 0) - 2.0 / 64) < 1e-12)
        // 2 · P(X ≤ 2), X ~ Bin(10, 1/2) = 2 · 56/1024
        #expect(abs(PairedComparison.exactMcNemar(wins: 2, losses: 8) - 112.0 / 1024) < 1e-12)
        #expect(PairedComparison.exactMcNemar(wins: 5, losses: 5) == 1)
        #expect(PairedComparison.exactMcNemar(wins: 400, losses: 600) < 1e-9)
    }

    @Test("records pair by problem id into wins, losses and ties")
    func pairing() {
        let setting = EvalSetting(strategy: .cot, effort: .low)
        func record(_ id: String, _ correct: Bool) -> EvalRecord {
            EvalRecord(problemID: id, setting: setting, extractedAnswer: nil, expected: "1", correct: correct,
                       anyChainCorrect: correct, reasoningTokens: 1, answerTokens: 1, seconds: 0)
        }
        let a = [record("p1", true), record("p2", true), record("p3", false), record("p4", false), record("only-a", true)]
        let b = [record("p1", true), record("p2", false), record("p3", true), record("p4", false), record("only-b", true)]
        let comparison = PairedComparison(a: a, b: b)
        #expect(comparison.paired == 4)
        #expect(comparison.wins == 1 && comparison.wonProblems == ["p2"])
        #expect(comparison.losses == 1 && comparison.lostProblems == ["p3"])
        #expect(comparison.bothCorrect == 1 && comparison.bothWrong == 1)
        #expect(comparison.accuracyDifference == 0)
    }

    @Test("summaries carry pass@1 over chains and tokens per second")
    func summary() throws {
        let setting = EvalSetting(strategy: .selfConsistency, effort: .medium)
        let records = [
            EvalRecord(problemID: "a", setting: setting, extractedAnswer: "1", expected: "1", correct: true, anyChainCorrect: true,
                       samplesCorrect: 3, samplesTotal: 4, reasoningTokens: 90, answerTokens: 10, seconds: 2),
            EvalRecord(problemID: "b", setting: setting, extractedAnswer: "2", expected: "3", correct: false, anyChainCorrect: true,
                       samplesCorrect: 1, samplesTotal: 4, reasoningTokens: 190, answerTokens: 10, seconds: 3),
        ]
        let summary = EvalSummary(setting: setting, records: records)
        #expect(summary.accuracy == 0.5)
        #expect(abs(try #require(summary.passAt1) - 0.5) < 1e-12)
        #expect(summary.anyChainAccuracy == 1)
        #expect(summary.samples == 4)
        #expect(summary.meanTotalTokens == 150)
        #expect(summary.tokensPerSecond == 60)
    }
}
