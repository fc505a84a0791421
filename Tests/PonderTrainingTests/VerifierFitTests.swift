import Foundation
import PonderCore
import PonderEval
import PonderReasoning
@testable import PonderTraining
import Testing

/// Fitting a verifier on labelled chains: exact metrics, the split by problem, and a fit whose
/// report is measured only on problems it did not see.
@Suite struct VerifierFitTests {
    @Test func aucCountsPairsAndTies() {
        #expect(VerifierFit.auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]) == 0.75)
        #expect(VerifierFit.auc([0.5, 0.5, 0.5], [true, false, false]) == 0.5)
        #expect(VerifierFit.auc([0.9, 0.1], [false, true]) == 0)
        #expect(VerifierFit.auc([0.2, 0.3], [true, true]) == 0.5)   // one class: no pairs
    }

    static func chain(_ answer: String, lowest: Double) -> ReasoningChain {
        ReasoningChain(reasoning: "Adding: 2 + 3 = 5.", answer: answer, extractedAnswer: answer, reasoningTokens: 30, answerTokens: 1,
                       budgetForced: false, forcedAtEnd: false, score: 0.5,
                       confidence: ChainConfidence(tokens: 30, mean: lowest + 1, lowestGroup: lowest, tail: lowest))
    }

    /// Questions whose right chains are confident (lowest group 8–9) and wrong ones are not (2–3),
    /// with the wrong answer in the majority half of the time.
    static func questions(_ count: Int) -> [LabelledQuestion] {
        (0..<count).map { index in
            let rightCount = index % 2 == 0 ? 2 : 5
            var chains: [ReasoningChain] = []
            for k in 0..<8 {
                let right = k < rightCount
                chains.append(chain(right ? "5" : "6", lowest: right ? 8 + Double(k % 2) : 2 + Double(k % 2)))
            }
            let correct = chains.map { $0.extractedAnswer == "5" }
            return LabelledQuestion(problemID: "p-\(index)", question: "What is 2 + 3?", chains: chains, answerCorrect: correct, labels: correct)
        }
    }

    @Test func splitIsByProblemAndStable() {
        let all = Self.questions(200)
        let (train, test) = VerifierFit.split(all, testShare: 0.25)
        #expect(train.count + test.count == 200)
        #expect(Set(train.map(\.problemID)).isDisjoint(with: test.map(\.problemID)))
        #expect((30...70).contains(test.count))
        let again = VerifierFit.split(all.reversed(), testShare: 0.25)
        #expect(Set(again.test.map(\.problemID)) == Set(test.map(\.problemID)))
    }

    @Test func fitReportsOnHeldOutProblems() throws {
        let (train, test) = VerifierFit.split(Self.questions(80), testShare: 0.25)
        let identity = ModelIdentity(name: "m.gguf", digest: "sha256:" + String(repeating: "0", count: 64))
        let file = try VerifierFit().fit(train: train, test: test, model: identity, command: "test", label: "answer")
        #expect(file.report.trainProblems == train.count && file.report.testProblems == test.count)
        #expect(file.report.testChains == 8 * test.count)
        #expect(file.report.auc > 0.95)               // confidence separates right from wrong here
        #expect(file.report.bestOfN == 1)             // and best-of-n always finds a right chain
        // The majority is right only where the right answer has 5 of 8 chains (odd problems).
        let oddShare = Double(test.filter { Int($0.problemID.dropFirst(2))! % 2 == 1 }.count) / Double(test.count)
        #expect(abs(file.report.majority - oddShare) < 1e-12)
        #expect(file.report.anyChain == 1)
        #expect(!file.single.features.contains(.agreement) && file.batch.features.contains(.agreement))
        #expect(file.batch.features.contains(.probabilityOfYes))   // every chain was judged
        #expect(file.confidencePercentiles.count == 21 && file.confidencePercentiles.first == 2 && file.confidencePercentiles.last == 9)
        let calibrated = file.report.calibration.reduce(0) { $0 + $1.chains }
        #expect(calibrated == file.report.testChains)
    }

    @Test func oneClassIsRefusedInOneLine() {
        let right = Self.questions(8).map { question -> LabelledQuestion in
            var q = question
            q.labels = q.labels.map { _ in true }
            return q
        }
        #expect(throws: TrainingError.self) {
            try VerifierFit().fit(train: right, test: [], model: ModelIdentity(name: "m", digest: "d"), command: "", label: "answer")
        }
    }

    @Test func labelsComeFromTheAnswerLibraryAndTheProcessCheck() throws {
        var wrongSteps = Self.chain("5", lowest: 8)
        wrongSteps.reasoning = "Adding: 2 + 3 = 6, so it is 5."
        let samples = String(decoding: try JSONEncoder().encode([Self.chain("5.0", lowest: 8), wrongSteps, Self.chain("7", lowest: 2)]), as: UTF8.self)
        let json = #"{"answer": "5", "extracted_answer": "5", "summaries": [], "strategy": "best-of-n", "effort": "high", "resolved_effort": "high", "votes": {}, "usage": {"reasoning_tokens": 90, "answer_tokens": 3, "tool_tokens": 0}, "elapsed_seconds": 1, "samples": "#
            + samples + "}"
        let trace = try JSONDecoder().decode(ReasoningTrace.self, from: Data(json.utf8))
        let problem = EvalProblem(id: "q1", question: "What is 2 + 3?", expected: "5", kind: .number)
        let labelled = try #require(LabelledQuestion(trace: trace, problem: problem, processVerifier: TrainingVerifiers.arithmetic))
        #expect(labelled.answerCorrect == [true, true, false])
        #expect(labelled.labels == [true, false, false])
        #expect(labelled.judge == [0.5, 0.5, 0.5])
    }
}
