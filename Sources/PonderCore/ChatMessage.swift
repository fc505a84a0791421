/// One turn of a conversation, in the role/content shape every chat template and API shares.
///
/// ```swift
/// let messages: [ChatMessage] = [.system("Be brief."), .user("What is 17 + 25?")]
/// ```
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who speaks in a turn.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case system, user, assistant, tool
    }

    /// The speaker of this turn.
    public var role: Role
    /// The turn's text.
    public var content: String

    /// Creates a message with a role and its text.
    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message (instructions for the whole conversation).
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    /// An assistant message (an earlier answer).
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: .assistant, content: content) }
}
