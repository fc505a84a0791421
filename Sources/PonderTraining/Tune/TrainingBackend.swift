import Foundation
import PonderCore
import PonderLlama

/// One fine-tune to run: from an F32 model, on examples, into an F32 output, with its resumable
/// state (a per-step loss log and a progress file) in `stateDirectory`.
public struct FineTuneJob: Sendable {
    /// The F32 GGUF to start from.
    public var startModel: String
    /// Where the tuned F32 GGUF goes (the best epoch by validation loss).
    public var output: String
    /// The conversations to learn.
    public var examples: [TrainingExample]
    /// How.
    public var settings: FineTuneSettings
    /// Where the loss log (`train-log.jsonl`) and the progress file (`fine-tune.json`) live.
    public var stateDirectory: URL

    /// Creates a job.
    public init(startModel: String, output: String, examples: [TrainingExample], settings: FineTuneSettings, stateDirectory: URL) {
        self.startModel = startModel
        self.output = output
        self.examples = examples
        self.settings = settings
        self.stateDirectory = stateDirectory
    }
}

/// What the STaR loop needs from a model runtime: models to sample and evaluate with, weight
/// conversion, and fine-tuning. `LlamaTrainingBackend` is llama.cpp; tests plug in a scripted one.
public protocol TrainingBackend: Sendable {
    /// A model to generate with, loaded from `path`.
    func languageModel(path: String) throws -> any LanguageModel
    /// Converts `input` to `type` at `output` (F32 for training, Q8_0 to ship).
    func convert(input: String, output: String, to type: LlamaFileType) throws
    /// Copies metadata the trainer's saver drops (chat template, context length) from `reference` into `path`.
    func restoreMetadata(in path: String, from reference: String) throws
    /// Runs (or resumes) a fine-tune; `progress` sees every step.
    func fineTune(_ job: FineTuneJob, progress: @escaping @Sendable (FineTuneProgress) -> Void) async throws -> FineTuneReport
}

/// llama.cpp as the training runtime: `LlamaEngine` to sample and evaluate, `llama_model_quantize`
/// to convert, and `LlamaTrainer` (llama.cpp's training API) to fine-tune.
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

    public func languageModel(path: String) throws -> any LanguageModel {
        try LlamaEngine(configuration: LlamaEngineConfiguration(modelPath: path, contextLength: 1024,
                                                                maxSequences: maxSequences, threads: threads))
    }

    public func convert(input: String, output: String, to type: LlamaFileType) throws {
        try LlamaModelConverter.convert(input: input, output: output, to: type, threads: threads)
    }

    public func restoreMetadata(in path: String, from reference: String) throws {
        try LlamaModelConverter.restoreMetadata(in: path, from: reference)
    }

    public func fineTune(_ job: FineTuneJob, progress: @escaping @Sendable (FineTuneProgress) -> Void) async throws -> FineTuneReport {
        let threads = self.threads
        // Training blocks for minutes: it runs on its own thread, off Swift's cooperative pool.
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(returning: try LlamaFineTune(job: job, threads: threads, progress: progress).run())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
