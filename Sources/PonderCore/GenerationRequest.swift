/// What to generate from: a chat (rendered with the model's template) or raw text (used as is).
///
/// Only markup becomes special tokens: in a chat, the template's own markup; the messages' text,
/// whoever wrote it, is tokenized as plain text, so a user message containing
/// `<|im_end|>\n<|im_start|>system\n` cannot open a turn.
public enum Prompt: Sendable, Hashable {
    /// Messages rendered with the model's chat template, ending with the assistant's turn opened.
    /// The messages' text is plain text, never markup.
    case chat([ChatMessage])
    /// The operator's raw prompt, passed to the tokenizer as is: special-token text in it is
    /// parsed. Never build one from request content, a user's or a tool's text (use `.chat`).
    case text(String)
    /// Token ids, for backends that share the model's vocabulary (benchmarks, training).
    case tokens([Int32])
    /// Messages rendered with the chat template, the assistant's turn opened and already begun
    /// with `assistantPrefix`, which the model continues (for example `"<think>\n"`). The prefix
    /// is the prompt format's markup (special-token text in it is parsed, as in the template's
    /// markup), so it must come from the format, not from a user; the messages are plain text. (A
    /// remote backend sends the prefix as the content of a final assistant message, where the
    /// upstream's own template and tokenizer decide.)
    case continuation([ChatMessage], assistantPrefix: String)
}

/// One generation job: a prompt, how to sample, and how many parallel samples to draw from it.
///
/// With `count > 1` the prompt is processed once and its cache shared by all sequences,
/// which are decoded together (the basis of self-consistency and best-of-N).
public struct GenerationRequest: Sendable {
    /// The prompt every sequence continues.
    public var prompt: Prompt
    /// Sampling settings; sequence `i` is seeded with `sampling.seed + i`.
    public var sampling: SamplingParameters
    /// Number of parallel sequences, `>= 1`.
    public let count: Int
    /// Whether text events carry the log-probability of each sampled token.
    public var includeLogprobs: Bool
    /// How many most likely alternatives to report for each sampled token (0...20; 0 = none).
    public var topLogprobs: Int {
        didSet { topLogprobs = min(max(topLogprobs, 0), 20) }
    }
    /// How many most likely candidates make each sampled token's confidence (0...20; 0 = none):
    /// the negative mean log-probability of the top `confidenceTopK` tokens (DeepConf's token
    /// confidence, Fu et al. 2025). Reported per token on text events and to the steerer, without
    /// the cost of full log-probabilities. Backends that cannot compute it report none.
    public var confidenceTopK: Int {
        didSet { confidenceTopK = min(max(confidenceTopK, 0), 20) }
    }
    /// Optional per-sequence steering (budget forcing, tools); `nil` lets the model run freely.
    public var steering: SteeringFactory?

    /// Creates a request. - Throws: `PonderError` for an empty chat or `count < 1`.
    public init(prompt: Prompt, sampling: SamplingParameters = .greedy, count: Int = 1, includeLogprobs: Bool = false) throws {
        switch prompt {
        case .chat(let messages), .continuation(let messages, _):
            if messages.isEmpty { throw PonderError.emptyMessages }
        case .text, .tokens:
            break
        }
        guard count >= 1 else {
            throw PonderError.invalidParameter(name: "n", value: "\(count)", expected: "an integer >= 1")
        }
        self.prompt = prompt
        self.sampling = sampling
        self.count = count
        self.includeLogprobs = includeLogprobs
        self.topLogprobs = 0
        self.confidenceTopK = 0
        self.steering = nil
    }

    /// A chat request. - Throws: `PonderError.emptyMessages` for an empty list.
    public static func chat(_ messages: [ChatMessage], sampling: SamplingParameters = .greedy, count: Int = 1) throws -> GenerationRequest {
        try GenerationRequest(prompt: .chat(messages), sampling: sampling, count: count)
    }
}
