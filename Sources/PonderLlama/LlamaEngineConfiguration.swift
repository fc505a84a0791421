import Foundation

/// Settings of a `LlamaEngine`, validated at construction.
///
/// ```swift
/// let configuration = try LlamaEngineConfiguration(modelPath: DefaultModel.path, maxSequences: 8)
/// ```
public struct LlamaEngineConfiguration: Sendable, Hashable {
    /// Path of the GGUF file to load.
    public let modelPath: String
    /// Context per sequence in tokens (prompt and generated text together); `nil` means the
    /// model's trained context, capped at 4096. At least 64 (llama.cpp rounds up to 256).
    public let contextLength: Int?
    /// How many sequences can be decoded at once (parallel samples of all requests), 1...256.
    public let maxSequences: Int
    /// One KV cache shared by all sequences (`true`: a prompt shared by parallel samples is stored
    /// once and any sequence may use all `contextLength` cells of the cache), or one cache stream
    /// per sequence (`false`, the default: each sequence attends only over its own cells, about 13%
    /// faster at 8 sequences here; the shared prompt is copied into each stream).
    public let unifiedCache: Bool
    /// Most tokens sent to the model in one decode call (prompt chunk size), 32...8192.
    public let batchSize: Int
    /// CPU threads for decoding, 1...512; defaults to the number of cores.
    public let threads: Int

    /// Creates a validated configuration.
    /// - Throws: `LlamaError.invalidConfiguration` naming the value out of range.
    public init(modelPath: String, contextLength: Int? = nil, maxSequences: Int = 8, batchSize: Int = 512,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, unifiedCache: Bool = false) throws {
        if let contextLength, contextLength < 64 {
            throw LlamaError.invalidConfiguration("context length \(contextLength) is below 64 tokens")
        }
        guard (1...256).contains(maxSequences) else {
            throw LlamaError.invalidConfiguration("max sequences \(maxSequences) is outside 1...256")
        }
        guard (32...8192).contains(batchSize) else {
            throw LlamaError.invalidConfiguration("batch size \(batchSize) is outside 32...8192")
        }
        guard (1...512).contains(threads) else {
            throw LlamaError.invalidConfiguration("threads \(threads) is outside 1...512")
        }
        self.modelPath = modelPath
        self.contextLength = contextLength
        self.maxSequences = maxSequences
        self.batchSize = batchSize
        self.threads = threads
        self.unifiedCache = unifiedCache
    }
}
