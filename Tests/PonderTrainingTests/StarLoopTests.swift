import Foundation
import PonderCore
import PonderEval
import PonderTrainingTesting
import Testing
@testable import PonderTraining

@Suite struct StarLoopTests {
    let train = [addition("t1", 12, 30), addition("t2", 13, 40), addition("t3", 22, 5)]
    let heldOut = [addition("h1", 10, 11), addition("h2", 11, 12), addition("h3", 20, 21), addition("h4", 21, 22)]

    func loop(_ directory: URL, backend: ScriptedBackend, rounds: Int = 2, test: [EvalProblem] = [], behaviour: [String] = [],
              stageFinished: @escaping @Sendable (Int, RoundStage) throws -> Void = { _, _ in }) throws -> StarLoop {
        let base = directory.appendingPathComponent("base.gguf")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: base.path) { try Data("GGUF".utf8).write(to: base) }
        let configuration = try StarConfiguration(
            baseModel: base.path, outputDirectory: directory.appendingPathComponent("run").path, rounds: rounds, samples: 3,
            rationalizationSamples: 2, maxReasoningTokens: 32,
            fineTune: FineTuneSettings(replayShare: 0.5))
        return try StarLoop(configuration: configuration, trainProblems: train, heldOut: heldOut, testProblems: test, behaviourPrompts: behaviour,
                            backend: backend, processVerifier: ArithmeticProcessVerifier(evaluator: TableEvaluator(table: [
                                "12 + 30": 42, "13 + 40": 53, "22 + 5": 27, "13 + 40 + 1": 54])),
                            hooks: StarHooks(stageFinished: stageFinished),
                            digests: ModelDigestCache(file: directory.appendingPathComponent("digests.json")))
    }

    @Test func aBetterRoundIsAcceptedAndANotBetterOneRejected() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = ScriptedBackend()
        let report = try await loop(directory, backend: backend).run()
        #expect(report.baseline.accuracy == 0.5)      // the base solves even first operands only
        #expect(report.rounds.count == 2)
        #expect(report.rounds[0].accepted == true)
        #expect(report.rounds[0].evaluation?.accuracy == 1)
        #expect(report.rounds[1].accepted == false)   // 100% is not better than 100%
        #expect(report.finalModel.hasSuffix("round-1/model.gguf"))
        #expect(report.finalAccuracy == 1)
        let counts = report.rounds[0].counts
        #expect(counts.chainsSampled == 9)
        #expect(counts.chainsKept == 2)               // t1 and t3 solved once each (duplicates dropped)
        #expect(counts.verdicts["duplicate"] == 4)
        #expect(counts.problemsRationalized == 1)     // t2 (odd first operand) needed the hint
        #expect(counts.rationalizedKept == 1)
        #expect(counts.replayExamples == 2)
        let dataset = try TrainingExample.read(from: directory.appendingPathComponent("run/round-1/dataset.jsonl"))
        #expect(dataset.count == 5)
        #expect(dataset.filter { $0.provenance.source == .rationalized }.count == 1)
        #expect(!dataset.contains { $0.messages.contains { $0.content.contains("Hint") } })
        #expect(dataset.allSatisfy { $0.messages.last?.role == .assistant })
    }

    @Test(arguments: RoundStage.allCases.filter { $0 != .started })
    func aKilledRunResumesAtTheStageItReached(stage: RoundStage) async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = ScriptedBackend()
        await #expect(throws: SimulatedKill.self) {
            _ = try await loop(directory, backend: backend) { round, finished in
                if round == 1, finished == stage { throw SimulatedKill() }
            }.run()
        }
        let state = try JSONDecoder().decode(RoundState.self, from: Data(contentsOf: directory.appendingPathComponent("run/round-1/round.json")))
        #expect(state.stage == stage)

        let report = try await loop(directory, backend: backend).run()
        #expect(report.rounds.map(\.accepted) == [true, false])
        // Nothing finished was redone: one fine-tune per round, one sampling request per problem per
        // round, one evaluation per model.
        #expect(backend.fineTunes == 2)
        let chainRequests = backend.requests.filter { $0.steering != nil && $0.count == 3 }
        #expect(chainRequests.count == 6)
        let evaluations = backend.requests.filter { $0.steering != nil && $0.count == 1 }
        #expect(evaluations.count == 12)
        let lines = try String(contentsOf: directory.appendingPathComponent("run/round-1/chains.jsonl"), encoding: .utf8)
        #expect(lines.split(separator: "\n").count == 9 + 2)
    }

    @Test func theTestSetIsMeasuredOnlyAfterTheRunForTheBaseAndEveryAcceptedModel() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = ScriptedBackend()
        let test = [addition("x1", 30, 1), addition("x2", 31, 2), addition("x3", 33, 4), addition("x4", 34, 5)]
        let testAsked = Counts()
        let report = try await loop(directory, backend: backend, test: test) { _, stage in
            // No decision sees the test set: nothing asked it anything before the run ended.
            if stage == .decided { testAsked.append(backend.requests.filter { Self.asks($0, test) }.count) }
        }.run()
        #expect(testAsked.values == [0, 0])
        #expect(backend.requests.filter { Self.asks($0, test) }.count == 4 * test.count)
        // The base and the control (the base at q8_0, untrained) solve even first operands (2 of 4);
        // round 1 was accepted and solves all; round 2 was rejected. Last, the base given the tuned
        // model's mean reasoning tokens as its budget.
        #expect(report.test?.map(\.accuracy) == [0.5, 0.5, 1, 0.5])
        #expect(report.test?[1].model.hasSuffix("run/control-q8_0.gguf") == true)
        #expect(report.test?[2].model.hasSuffix("round-1/model.gguf") == true)
        let tuned = try #require(report.test?[2]), budgeted = try #require(report.test?[3])
        #expect(budgeted.model == report.test?[0].model && tuned.budget == nil && report.test?[0].budget == nil)
        #expect(budgeted.budget == max(1, Int(tuned.meanReasoningTokens.rounded(.up))))
        #expect(budgeted.meanReasoningTokens <= Double(try #require(budgeted.budget)))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("run/control-f32.gguf").path))
        #expect(report.finalAccuracy == 1 && report.baseline.count == heldOut.count)
        // Resumed, the stored results are reused: no model is asked again.
        let requests = backend.requests.count
        let again = try await loop(directory, backend: backend, test: test).run()
        #expect(backend.requests.count == requests && again.test == report.test)
        // Without a test set the report has none, and a test question the decisions use is refused.
        let other = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: other) }
        #expect(try await loop(other, backend: ScriptedBackend()).run().test == nil)
        #expect(throws: TrainingError.self) {
            _ = try loop(other, backend: ScriptedBackend(), test: [addition("dup", 10, 11)])
        }
    }

    /// Counts recorded from a `@Sendable` hook.
    final class Counts: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [Int] = []
        func append(_ value: Int) { lock.withLock { stored.append(value) } }
        var values: [Int] { lock.withLock { stored } }
    }

    static func asks(_ request: GenerationRequest, _ problems: [EvalProblem]) -> Bool {
        let messages: [ChatMessage]
        switch request.prompt {
        case .chat(let m), .continuation(let m, _): messages = m
        case .text, .tokens: return false
        }
        return messages.contains { message in problems.contains { message.content.contains($0.question) } }
    }

    @Test func aFinishedRunIsNotRedone() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = ScriptedBackend()
        _ = try await loop(directory, backend: backend).run()
        let requests = backend.requests.count
        let again = try await loop(directory, backend: backend).run()
        #expect(backend.requests.count == requests)
        #expect(again.rounds.count == 2)
    }

    @Test func aRunIsNotResumedWithOtherWeightsUnderTheBaseModelsName() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = ScriptedBackend()
        await #expect(throws: SimulatedKill.self) {
            _ = try await loop(directory, backend: backend) { round, stage in
                if round == 1, stage == .sampled { throw SimulatedKill() }
            }.run()
        }
        let base = directory.appendingPathComponent("base.gguf")
        try Data("GGUF other weights".utf8).write(to: base)
        let requests = backend.requests.count
        do {
            _ = try await loop(directory, backend: backend).run()
            Issue.record("the run resumed with another base model")
        } catch let error as TrainingError {
            guard case .baseModelChanged(_, _, let stored?, let now) = error else { Issue.record("wrong error \(error)"); return }
            #expect(stored != now)
            #expect(!error.description.contains("\n") && error.description.contains("new --out"))
        }
        #expect(backend.requests.count == requests, "nothing ran")
    }

    @Test func aRunDirectoryWithoutABaseDigestIsRefused() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try await loop(directory, backend: ScriptedBackend(), rounds: 1).run()
        // As an older version wrote it: no baseModelDigest.
        let runFile = directory.appendingPathComponent("run/run.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: runFile)) as? [String: Any])
        json.removeValue(forKey: "baseModelDigest")
        try JSONSerialization.data(withJSONObject: json).write(to: runFile)
        do {
            _ = try await loop(directory, backend: ScriptedBackend(), rounds: 1).run()
            Issue.record("a run without the base model's digest was resumed")
        } catch let error as TrainingError {
            guard case .baseModelChanged(_, _, nil, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(!error.description.contains("\n") && error.description.contains("older ponder"))
        }
    }

    @Test func everyGGUFTheLoopWritesGoesThroughAPartialFile() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A stale .partial from a killed write is harmless: it is replaced, never read.
        let stale = directory.appendingPathComponent("run/round-1/model.gguf.partial")
        try FileManager.default.createDirectory(at: stale.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("half a model".utf8).write(to: stale)
        let report = try await loop(directory, backend: ScriptedBackend()).run()
        #expect(report.rounds.first?.accepted == true)
        let model = try String(contentsOf: directory.appendingPathComponent("run/round-1/model.gguf"), encoding: .utf8)
        #expect(model.hasPrefix("q8_0 of "))
        let leftovers = FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".partial") }
        #expect(leftovers == [])
    }
}
