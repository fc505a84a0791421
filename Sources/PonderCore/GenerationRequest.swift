/// What to generate from: a chat (rendered with the model's template) or raw text (used as is).
public enum Prompt: Sendable, Hashable {
    /// Messages rendered with the model's chat template, ending with the assistant's turn opened.
    case chat([ChatMessage])
    /// Text passed to the tokenizer as is (special tokens in it are parsed).
    case text(String)
    /// Token ids, for backends that share the model's vocabulary (benchmarks, training).
    case tokens([Int32])
}

/// One generation job: a prompt, how to sample, and how many parallel samples to draw from it.
///
/// With `count > 1` the prompt is processed once and its cache shared by all sequences,
/// which are decoded together (the basis of self-consistency and best-of-N).
public struct GenerationRequest: Sendable, Hashable {
    /// The prompt every sequence continues.
    public var prompt: Prompt
    /// Sampling settings; sequence `i` is seeded with `sampling.seed + i`.
    public var sampling: SamplingParameters
    /// Number of parallel sequences, `>= 1`.
    public let count: Int
    /// Whether text events carry the log-probability of each sampled token.
    public var includeLogprobs: Bool

    /// Creates a request. - Throws: `PonderError` for an empty chat or `count < 1`.
    public init(prompt: Prompt, sampling: SamplingParameters = .greedy, count: Int = 1, includeLogprobs: Bool = false) throws {
        if case .chat(let messages) = prompt, messages.isEmpty { throw PonderError.emptyMessages }
        guard count >= 1 else {
            throw PonderError.invalidParameter(name: "n", value: "\(count)", expected: "an integer >= 1")
        }
        self.prompt = prompt
        self.sampling = sampling
        self.count = count
        self.includeLogprobs = includeLogprobs
    }

    /// A chat request. - Throws: `PonderError.emptyMessages` for an empty list.
    public static func chat(_ messages: [ChatMessage], sampling: SamplingParameters = .greedy, count: Int = 1) throws -> GenerationRequest {
        try GenerationRequest(prompt: .chat(messages), sampling: sampling, count: count)
    }
}
