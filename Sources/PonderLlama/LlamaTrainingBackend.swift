import Foundation
import PonderCore

/// llama.cpp as the training runtime: `LlamaEngine` to sample and evaluate, `llama_model_quantize`
/// to convert (`LlamaModelConverter`), and `LlamaTrainer` (llama.cpp's training API) to fine-tune.
/// PonderTraining's loops drive it through `TrainingBackend`; the CLI wires it in.
///
/// ```swift
/// let backend = LlamaTrainingBackend(maxSequences: 8, threads: 4)
/// try backend.convert(input: "model.gguf", output: "start-f32.gguf", to: .f32)
/// let trainer = try backend.makeTrainer(modelPath: "start-f32.gguf", settings: TrainerSettings())
/// ```
public struct LlamaTrainingBackend: TrainingBackend {
    /// Parallel sequences of the sampling engine (at least the chains per problem).
    public let maxSequences: Int
    /// CPU threads.
    public let threads: Int

    /// Creates the backend.
    public init(maxSequences: Int = 16, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.maxSequences = maxSequences
        self.threads = threads
    }

    /// An engine with a 1,024-token context and `maxSequences` parallel sequences.
    public func languageModel(path: String) throws -> any LanguageModel {
        try LlamaEngine(configuration: LlamaEngineConfiguration(modelPath: path, contextLength: 1024,
                                                                maxSequences: maxSequences, threads: threads))
    }

    /// `LlamaModelConverter.convert` with this backend's threads.
    public func convert(input: String, output: String, to type: WeightType) throws {
        try LlamaModelConverter.convert(input: input, output: output, to: type, threads: threads)
    }

    /// `LlamaModelConverter.restoreMetadata`.
    public func restoreMetadata(in path: String, from reference: String) throws {
        try LlamaModelConverter.restoreMetadata(in: path, from: reference)
    }

    /// A `LlamaTrainer` with this backend's threads.
    public func makeTrainer(modelPath: String, settings: TrainerSettings) throws -> any Trainer {
        try LlamaTrainer(modelPath: modelPath, settings: settings, threads: threads)
    }
}
