import Foundation
import PonderCore

/// One `data:` payload of a streamed `/chat/completions` or `/completions` response, decoded
/// tolerantly: every field any of the supported servers may omit is optional.
struct StreamChunk: Decodable, Sendable {
    struct Choice: Decodable, Sendable {
        struct Delta: Decodable, Sendable {
            var content: String?
            /// Thinking text that some servers split off (vLLM/SGLang reasoning parsers, Ollama).
            var reasoningContent: String?
            var reasoning: String?

            enum CodingKeys: String, CodingKey {
                case content
                case reasoningContent = "reasoning_content"
                case reasoning
            }
        }

        var index: Int?
        var delta: Delta?
        /// `/completions` streams carry text here instead of in `delta`.
        var text: String?
        var finishReason: String?
        var logprobs: WireLogprobs?

        enum CodingKeys: String, CodingKey {
            case index, delta, text, logprobs
            case finishReason = "finish_reason"
        }

        /// All new text of this choice (thinking split off by the server first, then content).
        var newText: String {
            (delta?.reasoningContent ?? "") + (delta?.reasoning ?? "") + (delta?.content ?? "") + (text ?? "")
        }
    }

    var choices: [Choice]?
    var usage: WireUsage?
    var error: WireError?
}

/// Token counts as OpenAI reports them.
struct WireUsage: Decodable, Sendable, Hashable {
    var promptTokens: Int?
    var completionTokens: Int?

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }
}

/// An error body: `{"error": {"message": …}}` (OpenAI, llama-server), `{"error": "…"}` (Ollama)
/// or `{"message": …}` (vLLM).
struct WireError: Decodable, Sendable {
    var message: String

    init(message: String) { self.message = message }

    init(from decoder: Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            message = text
            return
        }
        struct Object: Decodable { var message: String? }
        message = (try? Object(from: decoder))?.message ?? "unknown error"
    }

    /// Reads the upstream's explanation out of an error response body.
    static func message(in body: Data) -> String {
        struct Envelope: Decodable {
            var error: WireError?
            var message: String?
            var detail: String?
        }
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: body),
           let message = envelope.error?.message ?? envelope.message ?? envelope.detail {
            return RemoteError.oneLine(message)
        }
        let text = RemoteError.oneLine(String(decoding: body, as: UTF8.self))
        return text.isEmpty ? "(empty body)" : text
    }
}

/// Log-probabilities in either shape: chat's `{"content": [{token, logprob, top_logprobs}]}`
/// (llama-server adds the token `id`) or the legacy completions shape
/// `{"tokens": […], "token_logprobs": […], "top_logprobs": [{token: logprob}]}`.
struct WireLogprobs: Decodable, Sendable {
    struct Entry: Decodable, Sendable {
        struct Alternative: Decodable, Sendable {
            var id: Int32?
            var token: String
            var logprob: Double
        }

        var id: Int32?
        var token: String
        var logprob: Double
        var topLogprobs: [Alternative]?

        enum CodingKeys: String, CodingKey {
            case id, token, logprob
            case topLogprobs = "top_logprobs"
        }
    }

    /// One entry per sampled token, in order.
    var entries: [Entry]

    enum CodingKeys: String, CodingKey {
        case content, tokens
        case tokenLogprobs = "token_logprobs"
        case topLogprobs = "top_logprobs"
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let content = try container.decodeIfPresent([Entry].self, forKey: .content) {
            entries = content
            return
        }
        let tokens = try container.decodeIfPresent([String].self, forKey: .tokens) ?? []
        let values = try container.decodeIfPresent([Double?].self, forKey: .tokenLogprobs) ?? []
        let tops = try container.decodeIfPresent([[String: Double]?].self, forKey: .topLogprobs) ?? []
        entries = tokens.enumerated().map { index, token in
            let top = index < tops.count ? tops[index] : nil
            let alternatives = top?.sorted { $0.value > $1.value }.map { Entry.Alternative(id: nil, token: $0.key, logprob: $0.value) }
            return Entry(id: nil, token: token, logprob: (index < values.count ? values[index] : nil) ?? 0, topLogprobs: alternatives)
        }
    }
}

/// The `/models` listing.
struct WireModelList: Decodable, Sendable {
    struct Model: Decodable, Sendable {
        /// llama-server's extra facts about the loaded model.
        struct Meta: Decodable, Sendable {
            var nCtx: Int?
            var nCtxTrain: Int?
            var nParams: Int?

            enum CodingKeys: String, CodingKey {
                case nCtx = "n_ctx"
                case nCtxTrain = "n_ctx_train"
                case nParams = "n_params"
            }
        }

        var id: String
        var ownedBy: String?
        var meta: Meta?
        /// vLLM's context length.
        var maxModelLen: Int?

        enum CodingKeys: String, CodingKey {
            case id, meta
            case ownedBy = "owned_by"
            case maxModelLen = "max_model_len"
        }
    }

    var data: [Model]
}

/// llama-server's `/props`: the chat template and special tokens.
struct WireProps: Decodable, Sendable {
    var chatTemplate: String?
    var bosToken: String?
    var eosToken: String?

    enum CodingKeys: String, CodingKey {
        case chatTemplate = "chat_template"
        case bosToken = "bos_token"
        case eosToken = "eos_token"
    }
}
