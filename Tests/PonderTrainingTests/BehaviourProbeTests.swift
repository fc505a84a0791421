import Foundation
import PonderCore
import PonderEval
import PonderTrainingTesting
import Testing
@testable import PonderTraining

/// The general-behaviour control of a STaR run (`BehaviourProbe`, `StarLoop.behaviour`): prompts
/// training never saw, the perplexity arithmetic, and the measurement after the run with resume.
@Suite struct BehaviourProbeTests {
    @Test func theProbePromptsAreNeverReplayPrompts() {
        let replay = Set(ReplayPrompts.all.map { $0.lowercased() })
        #expect(BehaviourPrompts.all.count == 40)
        #expect(Set(BehaviourPrompts.all).count == BehaviourPrompts.all.count)
        #expect(BehaviourPrompts.all.allSatisfy { !replay.contains($0.lowercased()) })
    }

    /// A trainer whose loss is fixed per answer text, with one token per byte of the answer.
    final class TableTrainer: Trainer, @unchecked Sendable {
        let losses: [String: Double]
        private(set) var weightsSeen: [[Float]] = []
        init(losses: [String: Double]) { self.losses = losses }
        var endOfTurnToken: Int32 { 0 }
        var learningRate: Double { 1e-5 }
        func tokens(of conversation: [ChatMessage]) throws -> [Int32] {
            [1, 2] + (conversation.last?.content.utf8.map { Int32($0) } ?? []) + [endOfTurnToken]
        }
        func promptLength(of conversation: [ChatMessage]) throws -> Int { 2 }
        func tokenBytes(_ token: Int32) -> [UInt8] { [] }
        func step(_ tokens: [Int32], weights: [Float]?, padToken: Int32) throws -> Double { Issue.record("no step expected"); return 0 }
        func loss(_ tokens: [Int32], weights: [Float]?, padToken: Int32) throws -> Double {
            weightsSeen.append(weights ?? [])
            let text = String(decoding: tokens.dropFirst(2).dropLast().map { UInt8($0) }, as: UTF8.self)
            return losses[text] ?? .nan
        }
        func save(to path: String) throws {}
    }

    @Test func thePerplexityIsTheTokenWeightedMeanOverAnswersThatEndedAndFit() throws {
        let trainer = TableTrainer(losses: ["ab": 1.0, "abcdef": 2.0, "cut": 9.0, "long": 9.0])
        let references = [
            BehaviourAnswer(prompt: "p1", answer: "ab", ended: true, tokens: 2),          // 3 labels: 2 bytes + end of turn
            BehaviourAnswer(prompt: "p2", answer: "abcdef", ended: true, tokens: 6),      // 7 labels
            BehaviourAnswer(prompt: "p3", answer: "cut", ended: false, tokens: 3),        // did not end its turn: left out
            BehaviourAnswer(prompt: "p4", answer: "", ended: true, tokens: 0),            // empty: left out
            BehaviourAnswer(prompt: "p5", answer: String(repeating: "x", count: 300), ended: true, tokens: 300),  // longer than the window
        ]
        let scored = try #require(try BehaviourProbe.perplexity(of: references, trainer: trainer, window: 256))
        #expect(scored.tokens == 10)
        #expect(abs(scored.perplexity - exp((1.0 * 3 + 2.0 * 7) / 10)) < 1e-12)
        // Only the assistant's labels count: the prompt's two tokens are masked.
        #expect(trainer.weightsSeen.first == [0, 1, 1, 1])
        #expect(try BehaviourProbe.perplexity(of: [references[2], references[3]], trainer: trainer, window: 256) == nil)
    }

    @Test func behaviourIsMeasuredAfterTheRunForTheBaseTheControlAndEveryAcceptedRoundAndResumed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ponder-behaviour-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let base = directory.appendingPathComponent("base.gguf")
        try Data("GGUF".utf8).write(to: base)
        let backend = ScriptedTrainingBackend()
        let prompts = Array(BehaviourPrompts.all.prefix(3))
        func loop(_ prompts: [String]) throws -> StarLoop {
            let configuration = try StarConfiguration(baseModel: base.path, outputDirectory: directory.appendingPathComponent("run").path,
                                                      rounds: 2, samples: 3, rationalizationSamples: 2, maxReasoningTokens: 32,
                                                      fineTune: FineTuneSettings(replayShare: 0.5))
            return try StarLoop(configuration: configuration,
                                trainProblems: [addition("t1", 12, 30), addition("t2", 13, 40)],
                                heldOut: [addition("h1", 10, 11), addition("h2", 11, 12)], behaviourPrompts: prompts,
                                backend: backend, processVerifier: nil,
                                digests: ModelDigestCache(file: directory.appendingPathComponent("digests.json")))
        }
        let report = try await loop(prompts).run()
        let behaviour = try #require(report.behaviour)
        #expect(report.rounds.map(\.accepted) == [true, false])
        #expect(behaviour.map { URL(fileURLWithPath: $0.model).lastPathComponent } == ["base.gguf", "control-q8_0.gguf", "model.gguf"])
        #expect(behaviour[2].model.hasSuffix("round-1/model.gguf"))
        #expect(behaviour.allSatisfy { $0.prompts == 3 && $0.endedTurn == 3 && $0.endedTurnShare == 1 })
        // The base is scored with its own weights (converted for the purpose, then deleted), the
        // round with its tuned F32 weights; the control has none of its own.
        #expect(behaviour[0].weights == base.path && behaviour[0].perplexity != nil && behaviour[0].scoredTokens == 6)
        #expect(behaviour[1].perplexity == nil && behaviour[1].weights == nil)
        #expect(behaviour[2].weights?.hasSuffix("round-1/tuned-f32.gguf") == true && behaviour[2].perplexity != nil)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("run/behaviour-base-f32.gguf").path))
        let stored = try JSONDecoder().decode(BehaviourFile.self, from: Data(contentsOf: directory.appendingPathComponent("run/behaviour.json")))
        #expect(stored.reference?.map(\.prompt) == prompts && stored.reference?.allSatisfy { $0.answer == "Hello there!" } == true)
        // The probe asks plain chats (no reasoning) once per model: the base, the control, round 1.
        #expect(backend.requests.filter { Self.asks($0, prompts) }.count == 3 * 3)

        // Resumed: nothing is asked again. Other prompts start the measurement over.
        let before = backend.requests.count
        #expect(try await loop(prompts).run().behaviour == behaviour)
        #expect(backend.requests.count == before)
        let other = Array(BehaviourPrompts.all.suffix(2))
        let again = try #require(try await loop(other).run().behaviour)
        #expect(again.allSatisfy { $0.prompts == 2 })
        #expect(backend.requests.filter { Self.asks($0, other) }.count == 3 * 2)
        // No prompts: no behaviour in the report.
        #expect(try await loop([]).run().behaviour == nil)
    }

    static func asks(_ request: GenerationRequest, _ prompts: [String]) -> Bool {
        guard case .chat(let messages) = request.prompt else { return false }
        return messages.count == 1 && prompts.contains(messages[0].content)
    }
}
