import PonderCore

/// How a model's reasoning is separated from its answer.
public enum ThinkingFormat: Sendable, Hashable {
    /// The model thinks natively between `open` and `close` tags (Qwen3, DeepSeek-R1 distills);
    /// the assistant turn is begun with `open` and the answer follows `close`.
    case native(open: String, close: String)
    /// An instruct model without native thinking: a system prompt asks it to reason step by step and
    /// then write the final answer after `marker` on its own line.
    case prompted(marker: String)

    /// `native` when the model's chat template knows `<think>`, otherwise `prompted`.
    public static func detect(for info: ModelInfo) -> ThinkingFormat {
        if let template = info.chatTemplate, template.contains("<think>"), template.contains("</think>") {
            return .native(open: "<think>\n", close: "</think>")
        }
        return .prompted(marker: "Answer:")
    }

    /// The text that ends the reasoning and opens the answer.
    public var answerMarker: String {
        switch self {
        case .native(_, let close): return close
        case .prompted(let marker): return marker
        }
    }

    /// What the engine forces in when the reasoning budget runs out.
    public var forcedClosing: String {
        switch self {
        case .native(_, let close): return "\n" + close + "\n\n"
        case .prompted(let marker): return "\n" + marker
        }
    }

    /// The prompt that starts a reasoning chain for a conversation.
    public func prompt(for messages: [ChatMessage], instructions: String) -> Prompt {
        switch self {
        case .native(let open, _):
            return .continuation(Self.adding(instructions, to: messages), assistantPrefix: open)
        case .prompted:
            return .chat(Self.adding(instructions, to: messages))
        }
    }

    /// The conversation with `instructions` added to its system message (or as one); unchanged when empty.
    private static func adding(_ instructions: String, to messages: [ChatMessage]) -> [ChatMessage] {
        guard !instructions.isEmpty else { return messages }
        var withSystem = messages
        if let first = withSystem.first, first.role == .system {
            withSystem[0] = .system(first.content + "\n\n" + instructions)
        } else {
            withSystem.insert(.system(instructions), at: 0)
        }
        return withSystem
    }
}
