/// Facts about a loaded model, as far as the backend knows them.
public struct ModelInfo: Sendable, Hashable, Codable {
    /// Name shown to users and APIs (file name or upstream model id).
    public var name: String
    /// Architecture, e.g. `llama`, or nil when unknown.
    public var architecture: String?
    /// Number of parameters, or nil when unknown.
    public var parameterCount: Int?
    /// Context length the model was trained with, in tokens, or nil when unknown.
    public var trainedContextLength: Int?
    /// Context length this instance serves per sequence, in tokens.
    public var contextLength: Int
    /// The Jinja chat template stored with the model, if any.
    public var chatTemplate: String?
    /// Named special tokens, e.g. `["bos": "<|im_start|>", "eos": "<|im_end|>"]`.
    public var specialTokens: [String: String]

    /// Creates a model description.
    public init(name: String, architecture: String? = nil, parameterCount: Int? = nil, trainedContextLength: Int? = nil,
                contextLength: Int, chatTemplate: String? = nil, specialTokens: [String: String] = [:]) {
        self.name = name
        self.architecture = architecture
        self.parameterCount = parameterCount
        self.trainedContextLength = trainedContextLength
        self.contextLength = contextLength
        self.chatTemplate = chatTemplate
        self.specialTokens = specialTokens
    }
}

/// The seam every backend implements: the local llama.cpp engine, a remote OpenAI-compatible
/// server, or a scripted model in tests. Reasoning, serving and evaluation only see this.
///
/// ```swift
/// let stream = model.generate(try .chat([.user("What is 17 + 25?")]))
/// for try await event in stream {
///     if case .text(let delta) = event { print(delta.text, terminator: "") }
/// }
/// ```
public protocol LanguageModel: Sendable {
    /// What the backend knows about its model.
    var info: ModelInfo { get }

    /// Starts generating and returns its event stream. Errors are thrown from the stream;
    /// cancelling the consuming task (or dropping the stream) stops generation within one step.
    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error>

    /// An optional capability: the backend's load now, or nil when it does not know it (the
    /// default). Read without waiting, so that a monitoring request never queues behind generation.
    var load: EngineLoad? { get }
}

extension LanguageModel {
    /// Nil: a backend that does not track its load reports none.
    public var load: EngineLoad? { nil }
}

/// The collected result of one sequence.
public struct Completion: Sendable, Hashable {
    /// All text of the sequence.
    public var text: String
    /// All sampled token ids.
    public var tokens: [Int32]
    /// Why it ended.
    public var finishReason: FinishReason
    /// Its token counts.
    public var usage: Usage
}

extension LanguageModel {
    /// Runs a request to the end and returns one `Completion` per sequence, in sequence order.
    public func complete(_ request: GenerationRequest) async throws -> [Completion] {
        var texts = Array(repeating: "", count: request.count)
        var tokens = Array(repeating: [Int32](), count: request.count)
        var finishes = [Int: SequenceFinish]()
        for try await event in generate(request) {
            switch event {
            case .text(let delta):
                texts[delta.sequence] += delta.text
                tokens[delta.sequence] += delta.tokens
            case .finished(let finish):
                finishes[finish.sequence] = finish
            }
        }
        try Task.checkCancellation()
        return (0..<request.count).map { index in
            let finish = finishes[index]
            return Completion(text: texts[index], tokens: tokens[index],
                              finishReason: finish?.reason ?? .cancelled, usage: finish?.usage ?? Usage())
        }
    }

    /// Generates one greedy-or-sampled answer to a chat and returns its text.
    public func respond(to messages: [ChatMessage], sampling: SamplingParameters = .greedy) async throws -> String {
        try await complete(.chat(messages, sampling: sampling))[0].text
    }
}
