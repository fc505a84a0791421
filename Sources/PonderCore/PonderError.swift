/// Errors any `LanguageModel` can report, whatever the backend. Each has a one-line message for a person.
public enum PonderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A parameter is out of range; `expected` says what is allowed.
    case invalidParameter(name: String, value: String, expected: String)
    /// A chat request with no messages.
    case emptyMessages
    /// The prompt does not fit the context window.
    case contextFull(promptTokens: Int, contextLength: Int)
    /// More parallel sequences were asked for than the backend allows.
    case tooManySequences(requested: Int, limit: Int)
    /// The backend failed; `message` says how.
    case backend(String)

    public var description: String {
        switch self {
        case let .invalidParameter(name, value, expected):
            return "invalid \(name) \(value): expected \(expected)"
        case .emptyMessages:
            return "the message list is empty: give at least one message"
        case let .contextFull(promptTokens, contextLength):
            return "the prompt is \(promptTokens) tokens but the context holds \(contextLength): shorten it or raise the context length"
        case let .tooManySequences(requested, limit):
            return "\(requested) parallel sequences requested but at most \(limit) are allowed"
        case let .backend(message):
            return message
        }
    }
}
