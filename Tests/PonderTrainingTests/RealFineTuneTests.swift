import Foundation
import PonderCore
import PonderLlama
import Testing
@testable import PonderTraining

/// A real, tiny fine-tune of the embedded model through llama.cpp's training API.
@Suite(.serialized) struct RealFineTuneTests {
    static func conversation(_ a: Int, _ b: Int) -> TrainingExample {
        TrainingExample(messages: [.user("What is \(a) + \(b)?"), .assistant("\(a) + \(b) = \(a + b)\nAnswer: \(a + b)")],
                        provenance: .init(round: 1, source: .sampled, seed: 0, sequence: 0))
    }

    @Test func tinyFineTuneLowersLossAndTheTunedModelStillEndsItsTurn() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ponder-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = LlamaTrainingBackend(maxSequences: 2)
        let f32 = directory.appendingPathComponent("start-f32.gguf").path
        try backend.convert(input: DefaultModel.path, output: f32, to: .f32)

        let examples = [Self.conversation(12, 34), Self.conversation(25, 41), Self.conversation(53, 16), Self.conversation(30, 27)]
        let settings = try FineTuneSettings(epochs: 3, learningRate: 1e-4, trainableLayers: 6, validationShare: 0, replayShare: 0)
        let tuned = directory.appendingPathComponent("tuned-f32.gguf").path
        let steps = StepCounter()
        let report = try await backend.fineTune(
            FineTuneJob(startModel: f32, output: tuned, examples: examples, settings: settings, stateDirectory: directory),
            progress: { _ in steps.add() })
        #expect(report.steps == 12)
        #expect(steps.value == 12)
        #expect(report.epochLoss.count == 3)
        #expect(report.epochLoss[2] < report.epochLoss[0], "loss per epoch: \(report.epochLoss)")
        let log = try String(contentsOf: directory.appendingPathComponent("train-log.jsonl"), encoding: .utf8)
        #expect(log.split(separator: "\n").count == 12)

        // Quantize back, restore the metadata the saver drops, load and generate.
        let shipped = directory.appendingPathComponent("model.gguf").path
        try backend.convert(input: tuned, output: shipped, to: .q8_0)
        try backend.restoreMetadata(in: shipped, from: DefaultModel.path)
        let base = try LlamaModel(path: DefaultModel.path)
        let engine = try LlamaEngine(configuration: LlamaEngineConfiguration(modelPath: shipped, contextLength: 512, maxSequences: 1))
        #expect(engine.info.chatTemplate == base.chatTemplate)
        #expect(engine.info.trainedContextLength == base.trainedContextLength)
        let completion = try await engine.complete(.chat([.user("What is 12 + 34?")], sampling: SamplingParameters(maxTokens: 64)))[0]
        // The <|im_end|> lesson: the tuned model must still end its turn with the end-of-turn token.
        #expect(completion.finishReason == .stop, "did not end its turn: \(completion.text)")
        #expect(!completion.text.contains("<|im_end|>"))
        #expect(!completion.text.isEmpty)
    }

    @Test func trainingConversationsEndWithTheEndOfTurnToken() throws {
        let model = try LlamaModel(path: DefaultModel.path)
        let tokens = try LlamaFineTune.tokens(of: Self.conversation(1, 2), model: model)
        let endOfTurn = try model.tokenize("<|im_end|>", addSpecial: false, parseSpecial: true)
        #expect(endOfTurn.count == 1)
        #expect(tokens.last == endOfTurn[0])
        #expect(model.isEndOfGeneration(tokens.last!))
        // Parsed as special tokens, not as text: no "<|" pieces anywhere.
        #expect(!tokens.contains { model.detokenize([$0], special: false).contains("<|") })
    }

    @Test func aModelThatIsNotF32IsRefusedForTraining() throws {
        #expect(throws: LlamaError.self) {
            _ = try LlamaTrainer(modelPath: DefaultModel.path, settings: LlamaTrainingSettings())
        }
    }
}

final class StepCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
