/// The kind of OpenAI-compatible server behind a `RemoteModel`. Servers share the wire format but
/// differ in what they accept beyond OpenAI's fields; the flavor records those differences so the
/// request mapping sends each server only what it understands.
public enum UpstreamFlavor: String, Sendable, Hashable, CaseIterable, Codable {
    /// llama.cpp's `llama-server`.
    case llamaServer = "llama-server"
    /// vLLM's OpenAI-compatible server.
    case vllm
    /// SGLang's OpenAI-compatible server.
    case sglang
    /// Ollama's `/v1` compatibility layer.
    case ollama
    /// OpenAI's own API.
    case openai
    /// Any other server: only OpenAI's documented fields are sent.
    case generic

    /// How an assistant prefix (`Prompt.continuation`, steering injections) reaches the upstream.
    public enum Prefill: Sendable, Hashable {
        /// The prefix is a final assistant message with `continue_final_message: true` and
        /// `add_generation_prompt: false` (vLLM, SGLang, llama-server): the model continues it exactly.
        case continueFinalMessage
        /// The prefix is a final assistant message, which the server continues (Ollama and most local servers).
        case trailingAssistantMessage
        /// The server cannot continue a message (OpenAI): the prefix is sent as an assistant message
        /// followed by a user message asking to continue it without repeating it. Approximate.
        case instructed
    }

    /// Whether one request can carry `n > 1` choices.
    public var supportsParallelSamples: Bool {
        switch self {
        case .llamaServer, .vllm, .sglang, .openai: return true
        case .ollama, .generic: return false
        }
    }

    /// How assistant prefixes are sent.
    public var prefill: Prefill {
        switch self {
        case .llamaServer, .vllm, .sglang: return .continueFinalMessage
        case .ollama, .generic: return .trailingAssistantMessage
        case .openai: return .instructed
        }
    }

    /// Whether `/v1/completions` accepts a prompt of token ids in the model's vocabulary.
    public var acceptsTokenPrompts: Bool {
        switch self {
        case .llamaServer, .vllm, .sglang: return true
        case .ollama, .openai, .generic: return false
        }
    }

    /// Whether the upstream takes top-k, min-p and repetition penalty (names differ per server).
    public var acceptsSamplingExtensions: Bool {
        switch self {
        case .llamaServer, .vllm, .sglang: return true
        case .ollama, .openai, .generic: return false
        }
    }

    /// Most stop strings the upstream accepts per request; Ponder applies all of them itself too.
    public var maxStopStrings: Int? { self == .openai ? 4 : nil }

    /// Guesses the flavor from `/v1/models`' `owned_by` and the host name.
    public static func detect(ownedBy: String?, host: String) -> UpstreamFlavor {
        if host.hasSuffix("openai.com") { return .openai }
        switch ownedBy?.lowercased() {
        case "llamacpp": return .llamaServer
        case "vllm": return .vllm
        case "sglang": return .sglang
        case "library", "ollama": return .ollama
        case "openai", "system", "openai-internal": return .openai
        default: return .generic
        }
    }
}
