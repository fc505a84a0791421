import Foundation
import PonderCore

/// One streamed request to the upstream, ready to send: the endpoint below the API root and its
/// JSON body.
public struct UpstreamRequest: Sendable, Hashable {
    /// `chat/completions` or `completions`.
    public var path: String
    /// The JSON body.
    public var body: Data

    /// The body as a dictionary (for inspection and tests).
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }
}

/// Maps Ponder's requests onto OpenAI's wire format for one upstream flavor: chat and
/// continuation prompts go to `/chat/completions`, text and token prompts to `/completions`.
/// Fields the flavor does not know are left out rather than sent and ignored.
public struct RequestMapper: Sendable {
    /// The upstream's kind.
    public let flavor: UpstreamFlavor
    /// The `model` field sent with every request.
    public let model: String

    /// The user message that asks a server without prefill support to continue a message.
    public static let continueInstruction =
        "Continue your previous message exactly where it stops. Do not repeat any of it and do not comment."

    /// Creates a mapper.
    public init(flavor: UpstreamFlavor, model: String) {
        self.flavor = flavor
        self.model = model
    }

    /// Builds one streamed request.
    /// - Parameters:
    ///   - maxTokens: tokens this request may still sample (`>= 1`).
    ///   - seed: the seed of this request's first sequence.
    ///   - count: choices in this request (`n`); must be 1 when the flavor has no `n`.
    ///   - topLogprobs: nil for no log-probabilities; otherwise how many alternatives per token (0...20).
    ///   - stop: stop strings for the upstream (Ponder applies them itself as well).
    /// - Throws: `RemoteError.unsupported` for a prompt kind or `n` the upstream cannot take.
    public func request(prompt: Prompt, sampling: SamplingParameters, maxTokens: Int, seed: UInt32,
                        count: Int = 1, topLogprobs: Int? = nil, stop: [String] = []) throws -> UpstreamRequest {
        var body: [String: Any] = ["model": model, "stream": true, "stream_options": ["include_usage": true]]
        let isChat: Bool
        switch prompt {
        case .chat(let messages):
            isChat = true
            body["messages"] = messages.map(Self.wire)
        case let .continuation(messages, prefix):
            isChat = true
            var wire = messages.map(Self.wire)
            wire.append(["role": "assistant", "content": prefix])
            switch flavor.prefill {
            case .continueFinalMessage:
                body["continue_final_message"] = true
                body["add_generation_prompt"] = false
            case .trailingAssistantMessage:
                break
            case .instructed:
                wire.append(["role": "user", "content": Self.continueInstruction])
            }
            body["messages"] = wire
        case .text(let text):
            isChat = false
            body["prompt"] = text
        case .tokens(let tokens):
            guard flavor.acceptsTokenPrompts else { throw RemoteError.unsupported(feature: "prompts of token ids", flavor: flavor) }
            isChat = false
            body["prompt"] = tokens.map { Int($0) }
        }
        if count > 1 {
            guard flavor.supportsParallelSamples else { throw RemoteError.unsupported(feature: "n > 1 in one request", flavor: flavor) }
            body["n"] = count
        }
        body[flavor == .openai && isChat ? "max_completion_tokens" : "max_tokens"] = maxTokens
        body["temperature"] = sampling.temperature
        if sampling.topP < 1 { body["top_p"] = sampling.topP }
        body["seed"] = Int(seed)
        let stops = flavor.maxStopStrings.map { Array(stop.prefix($0)) } ?? stop
        if !stops.isEmpty { body["stop"] = stops }
        if let topLogprobs {
            if isChat {
                body["logprobs"] = true
                // llama-server reads top_logprobs as n_probs; 0 would turn log-probabilities off.
                body["top_logprobs"] = flavor == .llamaServer ? max(topLogprobs, 1) : topLogprobs
            } else {
                body["logprobs"] = max(topLogprobs, 1)
            }
        }
        if flavor.acceptsSamplingExtensions {
            if sampling.topK > 0 { body["top_k"] = sampling.topK }
            if sampling.minP > 0 { body["min_p"] = sampling.minP }
            if sampling.repetitionPenalty != 1 {
                if flavor == .llamaServer {
                    body["repeat_penalty"] = sampling.repetitionPenalty
                    body["repeat_last_n"] = sampling.repetitionWindow
                } else {
                    body["repetition_penalty"] = sampling.repetitionPenalty
                }
            }
        }
        if flavor == .llamaServer {
            // Keep thinking text in `content`, as the local engine does, so steerers see the tags.
            if isChat { body["reasoning_format"] = "none" }
            body["cache_prompt"] = true
        }
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        return UpstreamRequest(path: isChat ? "chat/completions" : "completions", body: data)
    }

    private static func wire(_ message: ChatMessage) -> [String: Any] {
        ["role": message.role.rawValue, "content": message.content]
    }
}
