import Foundation
import PonderCore

/// The local inference engine: a GGUF model served by llama.cpp on this machine, as a
/// `LanguageModel`.
///
/// All requests share one context, decoded by one dedicated thread that batches every active
/// sequence together; a request with `count > 1` decodes its prompt once and shares its cache.
///
/// ```swift
/// let engine = try LlamaEngine(configuration: .init(modelPath: DefaultModel.path))
/// let answer = try await engine.respond(to: [.user("What is 17 + 25?")])
/// ```
public final class LlamaEngine: LanguageModel, @unchecked Sendable {
    /// The loaded model.
    public let model: LlamaModel
    /// The configuration the engine was built with.
    public let configuration: LlamaEngineConfiguration
    /// Facts about the model and this instance.
    public let info: ModelInfo
    let loop: DecodeLoop
    private let sequenceContext: Int
    private let sequenceCapacity: Int

    /// Loads the model and starts the decode thread.
    /// - Throws: `LlamaError` for a missing, unreadable or invalid model, or a context that cannot be created.
    public init(configuration: LlamaEngineConfiguration) throws {
        let model = try LlamaModel(path: configuration.modelPath)
        let trained = model.trainedContextLength
        let perSequence = configuration.contextLength ?? min(trained > 0 ? trained : 4096, 4096)
        let context = try LlamaContext(model: model, sequenceContext: perSequence, batchSize: configuration.batchSize,
                                       sequences: configuration.maxSequences, threads: configuration.threads,
                                       unified: configuration.unifiedCache)
        self.model = model
        self.configuration = configuration
        self.sequenceContext = context.sequenceContext
        self.sequenceCapacity = context.sequenceCapacity
        self.info = ModelInfo(
            name: URL(fileURLWithPath: configuration.modelPath).deletingPathExtension().lastPathComponent,
            architecture: model.architecture, parameterCount: model.parameterCount,
            trainedContextLength: trained, contextLength: context.sequenceContext,
            chatTemplate: model.chatTemplate, specialTokens: model.specialTokens)
        self.loop = DecodeLoop(context: context)
    }

    /// Convenience: loads a model with default settings.
    public convenience init(modelPath: String) throws {
        try self.init(configuration: LlamaEngineConfiguration(modelPath: modelPath))
    }

    deinit { loop.stop() }

    /// The engine's current load.
    public var status: EngineLoad { loop.status }

    /// The engine's current load, as the `LanguageModel` capability (always known here).
    public var load: EngineLoad? { loop.status }

    /// Tests only: makes the next decode step fail inside `llama_decode` (its batch gets a token
    /// outside the vocabulary), to show that only the requests in that batch fail.
    func failNextDecode() {
        loop.faultNextDecode.store(true, ordering: .relaxed)
        loop.poke()
    }

    /// The exact token ids a request's prompt becomes.
    ///
    /// A chat (or continuation) is tokenized with `LlamaModel.chatTokens`: only the chat template's
    /// markup and the continuation's `assistantPrefix` (the prompt format's markup) may become
    /// special tokens, and every message's text is plain text. A `.text` prompt is the operator's
    /// own raw prompt (tests, benchmarks): special-token text in it is parsed, so it must never be
    /// built from request content. Both get BOS (and EOS) by `LlamaModel.addingSpecialTokens(to:)`.
    /// - Throws: `PonderError.emptyMessages` or `LlamaError.unsupportedChatTemplate`.
    public func promptTokens(for prompt: Prompt) throws -> [Int32] {
        switch prompt {
        case .chat(let messages):
            return try model.chatTokens(messages)
        case .continuation(let messages, let prefix):
            return try model.chatTokens(messages, assistantPrefix: prefix)
        case .text(let raw):
            return model.addingSpecialTokens(to: try model.tokenize(raw, parseSpecial: true))
        case .tokens(let tokens):
            guard let bad = tokens.first(where: { $0 < 0 || Int($0) >= model.vocabularySize }) else { return tokens }
            throw PonderError.invalidParameter(name: "prompt token", value: "\(bad)", expected: "an id in 0..<\(model.vocabularySize)")
        }
    }

    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        generate(request, ignoreEndOfGeneration: false).stream
    }

    func generate(_ request: GenerationRequest, ignoreEndOfGeneration: Bool)
        -> (stream: AsyncThrowingStream<GenerationEvent, Error>, job: GenerationJob?) {
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, Error>.makeStream()
        let tokens: [Int32]
        do {
            guard request.count <= sequenceCapacity else {
                throw PonderError.tooManySequences(requested: request.count, limit: sequenceCapacity)
            }
            tokens = try promptTokens(for: request.prompt)
            guard !tokens.isEmpty else {
                throw PonderError.invalidParameter(name: "prompt", value: "\"\"", expected: "at least one token")
            }
            let needed = tokens.count + 1 + (configuration.unifiedCache ? request.count : 0)
            guard needed <= sequenceContext else {
                throw PonderError.contextFull(promptTokens: tokens.count, contextLength: sequenceContext)
            }
        } catch {
            continuation.finish(throwing: error)
            return (stream, nil)
        }
        let job = GenerationJob(promptTokens: tokens, request: request, continuation: continuation,
                                ignoreEndOfGeneration: ignoreEndOfGeneration)
        continuation.onTermination = { [loop] termination in
            if case .cancelled = termination {
                job.cancel()
                loop.poke()
            }
        }
        loop.submit(job)
        return (stream, job)
    }
}
