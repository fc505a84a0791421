import ArgumentParser
import Foundation
import PonderLlama

/// Options that choose and configure the local model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Path of a GGUF model (default: the bootstrapped SmolLM2-135M-Instruct).")
    var model: String?

    @Option(name: .long, help: "CPU threads for decoding (default: number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Context per sequence in tokens (default: the model's, at most 4096).")
    var context: Int?

    @Option(name: .customLong("max-sequences"), help: "Most sequences decoded at once (1...256).")
    var maxSequences: Int = 8

    @Flag(name: .customLong("unified-cache"), help: "One KV cache for all sequences (a shared prompt is stored once) instead of one stream each.")
    var unifiedCache = false

    /// The model path to load.
    var modelPath: String { model ?? DefaultModel.path }

    func engineConfiguration() throws -> LlamaEngineConfiguration {
        try LlamaEngineConfiguration(modelPath: modelPath, contextLength: context, maxSequences: maxSequences,
                                     threads: threads, unifiedCache: unifiedCache)
    }

    mutating func validate() throws {
        do { _ = try engineConfiguration() } catch { throw ValidationError("\(error)") }
    }
}
