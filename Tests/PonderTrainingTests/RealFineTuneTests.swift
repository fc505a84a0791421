import Foundation
import PonderCore
@testable import PonderLlama
import PonderTesting
import Testing
@testable import PonderTraining

/// A real, tiny fine-tune of the embedded model through llama.cpp's training API.
@Suite(.serialized) struct RealFineTuneTests {
    static func conversation(_ a: Int, _ b: Int) -> TrainingExample {
        TrainingExample(messages: [.user("What is \(a) + \(b)?"), .assistant("\(a) + \(b) = \(a + b)\nAnswer: \(a + b)")],
                        provenance: .init(round: 1, source: .sampled, seed: 0, sequence: 0))
    }

    /// The three mechanisms of a fine-tune, none of which depends on which token a CPU samples:
    /// the loss on its own examples falls; the end-of-turn token's probability after a trained
    /// answer rises (read from the logits, base and tuned model both in f32); and the written,
    /// quantized GGUF loads with the chat template and context length restored.
    @Test func tinyFineTuneLowersLossRaisesTheEndOfTurnAndWritesALoadableModel() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ponder-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let threads = RealModelTestSettings.threads()
        let backend = LlamaTrainingBackend(maxSequences: 2, threads: threads)
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

        // The <|im_end|> lesson, from the logits: after a trained answer the tuned model is more
        // likely to end its turn than the model it started from.
        let tokens = try LlamaTrainer.tokens(of: Self.conversation(12, 34).messages, model: LlamaModel(path: DefaultModel.path))
        let before = try Self.lastTokenLogprob(modelPath: f32, tokens: tokens, threads: threads)
        let after = try Self.lastTokenLogprob(modelPath: tuned, tokens: tokens, threads: threads)
        print("log P(<|im_end|>) after a trained answer: \(before) before, \(after) after training")
        #expect(after > before, "log P(end of turn): \(before) before training, \(after) after")

        // Quantize back, restore the metadata the saver drops, and load.
        let shipped = directory.appendingPathComponent("model.gguf").path
        try backend.convert(input: tuned, output: shipped, to: .q8_0)
        try backend.restoreMetadata(in: shipped, from: DefaultModel.path)
        let base = try LlamaModel(path: DefaultModel.path)
        let engine = try LlamaEngine(configuration: LlamaEngineConfiguration(modelPath: shipped, contextLength: 512, maxSequences: 1, threads: threads))
        #expect(engine.info.chatTemplate == base.chatTemplate)
        #expect(engine.info.trainedContextLength == base.trainedContextLength)
        // It generates (what it writes is not asserted).
        let completion = try await engine.complete(.chat([.user("What is 12 + 34?")], sampling: SamplingParameters(maxTokens: 8)))[0]
        #expect(completion.usage.completionTokens == completion.tokens.count && completion.tokens.count <= 8)
    }

    /// log P(last token | the tokens before it) under the model at `modelPath` (the f32 files
    /// carry no chat template, so the conversation is tokenized with the base model's).
    static func lastTokenLogprob(modelPath: String, tokens: [Int32], threads: Int) throws -> Double {
        let model = try LlamaModel(path: modelPath)
        let prefix = Array(tokens.dropLast())
        let context = try LlamaContext(model: model, sequenceContext: 512, batchSize: 512, sequences: 1, threads: threads, unified: false)
        let batch = LlamaBatch(capacity: prefix.count)
        for (position, token) in prefix.enumerated() {
            try batch.add(token, position: position, sequence: 0, wantsLogits: position == prefix.count - 1)
        }
        try context.decode(batch)
        return context.logprobs(of: tokens[tokens.count - 1], at: Int32(prefix.count - 1), top: 0).chosen
    }

    @Test func trainingConversationsEndWithTheEndOfTurnToken() throws {
        let model = try LlamaModel(path: DefaultModel.path)
        let tokens = try LlamaTrainer.tokens(of: Self.conversation(1, 2).messages, model: model)
        let endOfTurn = try model.tokenize("<|im_end|>", addSpecial: false, parseSpecial: true)
        #expect(endOfTurn.count == 1)
        #expect(tokens.last == endOfTurn[0])
        #expect(model.isEndOfGeneration(tokens.last!))
        // Parsed as special tokens, not as text: no "<|" pieces anywhere.
        #expect(!tokens.contains { model.detokenize([$0], special: false).contains("<|") })
    }

    @Test func aModelThatIsNotF32IsRefusedForTraining() throws {
        #expect(throws: LlamaError.self) {
            _ = try LlamaTrainer(modelPath: DefaultModel.path, settings: TrainerSettings())
        }
    }
}

final class StepCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
