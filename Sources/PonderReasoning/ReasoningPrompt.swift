import Foundation
import PonderCore

/// The prompting for one family of models, kept in a versioned JSON file: how the model's reasoning
/// is separated from its answer, the instructions that start a chain, and optional per-tool
/// invitations that replace a tool's own. The built-in files are in `Sources/PonderReasoning/Prompts`
/// (compiled into the library); `ReasoningPrompt(contentsOf:)` loads a user's own.
///
/// ```json
/// {"id": "instruct", "version": 1, "match": {}, "thinking": {"kind": "prompted", "marker": "Answer:"},
///  "instructions": "Think step by step…", "tool_invitations": {}}
/// ```
public struct ReasoningPrompt: Sendable, Hashable, Codable {
    /// Which models a prompt is for. An empty rule matches every model.
    public struct Match: Sendable, Hashable, Codable {
        /// Every one of these strings appears in the model's chat template.
        public var templateContains: [String]?
        /// The model's name or architecture contains one of these (case-insensitive).
        public var nameContains: [String]?

        enum CodingKeys: String, CodingKey {
            case templateContains = "template_contains"
            case nameContains = "name_contains"
        }

        /// Whether the rule matches `info`.
        public func matches(_ info: ModelInfo) -> Bool {
            if let needles = templateContains {
                guard let template = info.chatTemplate, needles.allSatisfy(template.contains) else { return false }
            }
            if let names = nameContains {
                let haystack = (info.name + " " + (info.architecture ?? "")).lowercased()
                guard names.contains(where: { haystack.contains($0.lowercased()) }) else { return false }
            }
            return true
        }
    }

    /// How the reasoning is delimited, as stored in the file.
    public struct Thinking: Sendable, Hashable, Codable {
        /// `prompted` (an answer marker line) or `native` (open and close tags).
        public var kind: String
        public var marker: String?
        public var open: String?
        public var close: String?
    }

    /// A short name for the family (`instruct`, `native-thinking`).
    public var id: String
    /// Bumped whenever the text changes, so measured runs say which prompt they used.
    public var version: Int
    /// What the prompt is for, for people.
    public var description: String?
    public var match: Match
    public var thinking: Thinking
    /// The instructions that begin every chain (a system message; may be empty for native thinkers).
    public var instructions: String
    /// Replacement invitations by tool name; tools not listed use their own.
    public var toolInvitations: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, version, description, match, thinking, instructions
        case toolInvitations = "tool_invitations"
    }

    /// `id@version`, as recorded in traces.
    public var label: String { "\(id)@\(version)" }

    /// The thinking format the file describes.
    /// - Throws: `ReasoningPromptError.invalid` when the `thinking` entry is incomplete.
    public func thinkingFormat() throws -> ThinkingFormat {
        switch thinking.kind {
        case "prompted":
            guard let marker = thinking.marker, !marker.isEmpty else {
                throw ReasoningPromptError.invalid(id: id, reason: "a prompted format needs a non-empty marker")
            }
            return .prompted(marker: marker)
        case "native":
            guard let open = thinking.open, let close = thinking.close, !open.isEmpty, !close.isEmpty else {
                throw ReasoningPromptError.invalid(id: id, reason: "a native format needs non-empty open and close tags")
            }
            return .native(open: open, close: close)
        default:
            throw ReasoningPromptError.invalid(id: id, reason: "thinking.kind must be prompted or native, not \(thinking.kind)")
        }
    }

    /// The instructions with an invitation for each tool appended.
    public func instructions(tools: [any ReasoningTool]) -> String {
        let invitations = tools.map { toolInvitations[$0.name] ?? $0.invitation }
        return ([instructions] + invitations).filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Creates a prompt in code.
    public init(id: String, version: Int, description: String?, match: Match, thinking: Thinking,
                instructions: String, toolInvitations: [String: String]) {
        self.id = id
        self.version = version
        self.description = description
        self.match = match
        self.thinking = thinking
        self.instructions = instructions
        self.toolInvitations = toolInvitations
    }

    /// Decodes and validates a prompt file.
    /// - Throws: `ReasoningPromptError`, one line naming the file and the problem.
    public init(json data: Data, source: String) throws {
        let prompt: ReasoningPrompt
        do {
            prompt = try JSONDecoder().decode(ReasoningPrompt.self, from: data)
        } catch {
            throw ReasoningPromptError.unreadable(path: source, reason: Self.describe(error))
        }
        guard prompt.version >= 1 else { throw ReasoningPromptError.invalid(id: prompt.id, reason: "version must be 1 or more") }
        _ = try prompt.thinkingFormat()
        self = prompt
    }

    /// Loads a prompt file from disk.
    /// - Throws: `ReasoningPromptError`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ReasoningPromptError.unreadable(path: url.path, reason: "cannot read the file")
        }
        try self.init(json: data, source: url.path)
    }

    /// The built-in prompts, most specific first (the last matches every model).
    public static let builtIn: [ReasoningPrompt] = [
        (PackageResources.thinking_v1_json, "thinking.v1.json"),
        (PackageResources.instruct_v1_json, "instruct.v1.json"),
    ].compactMap { bytes, name in try? ReasoningPrompt(json: Data(bytes), source: name) }

    /// The first built-in prompt whose rule matches the model.
    public static func select(for info: ModelInfo) -> ReasoningPrompt {
        builtIn.first { $0.match.matches(info) } ?? minimal
    }

    /// Used only if no built-in file could be decoded (the tests make sure they all can).
    static let minimal = ReasoningPrompt(
        id: "minimal", version: 1, description: nil, match: Match(templateContains: nil, nameContains: nil),
        thinking: Thinking(kind: "prompted", marker: "Answer:", open: nil, close: nil),
        instructions: "Reason first, then give the final answer on a line that starts with \"Answer:\".", toolInvitations: [:])

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: return "missing field \(key.stringValue)"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted?: return "not valid JSON"
        default: return "not a prompt file"
        }
    }
}

/// A prompt file that cannot be used.
public enum ReasoningPromptError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(id: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot use the prompt file \(path): \(reason)"
        case let .invalid(id, reason): return "invalid prompt \(id): \(reason)"
        }
    }
}
