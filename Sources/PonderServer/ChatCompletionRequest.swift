import Foundation
import PonderCore
import PonderReasoning

/// Parses and validates the body of `POST /v1/chat/completions` into a `ServingRequest`.
enum ChatCompletionRequest {
    static func parse(_ body: Data, configuration: ServerConfiguration, modelNames: Set<String>) throws(APIError) -> ServingRequest {
        let fields = JSONFields(try JSONValue.parseObject(body))
        try checkModel(fields, names: modelNames)
        guard let rawMessages = try fields.array("messages") else {
            throw APIError.invalid("Missing required parameter: 'messages'.", param: "messages", code: "missing_required_parameter")
        }
        guard !rawMessages.isEmpty else {
            throw APIError.invalid("Invalid 'messages': empty array. Expected an array with minimum length 1.", param: "messages", code: "empty_array")
        }
        var messages: [ChatMessage] = []
        for (index, raw) in rawMessages.enumerated() {
            messages.append(try message(raw, param: "messages[\(index)]"))
        }
        let effort = try parseEffort(fields.string("reasoning_effort"), param: "reasoning_effort", default: configuration.defaultEffort)
        let maxCompletion = try fields.integer("max_completion_tokens", in: 1...configuration.maxTokensPerRequest)
        let maxTokens = try fields.integer("max_tokens", in: 1...configuration.maxTokensPerRequest)
        let n = try fields.integer("n", in: 1...configuration.maxChoices) ?? 1
        let stream = try fields.bool("stream") ?? false
        var includeUsage = false
        if let options = try fields.object("stream_options") {
            includeUsage = try options.bool("include_usage") ?? false
        }
        var request = ServingRequest(
            messages: messages, effort: effort, maxTokens: maxCompletion ?? maxTokens,
            temperature: try fields.number("temperature", in: 0...2), topP: try fields.number("top_p", in: 0.000001...1),
            seed: UInt32(truncatingIfNeeded: try fields.integer("seed", in: Int(Int32.min)...Int(UInt32.max)) ?? 0),
            stop: try stopStrings(fields), n: n, stream: stream, includeUsage: includeUsage,
            ponder: try PonderOptions.parse(fields.object("ponder"), limits: configuration))
        request.toolCatalog = configuration.toolCatalog
        request.trainedVerifier = configuration.trainedVerifier
        try checkCompatibility(request, configuration: configuration, maxTokensParam: maxCompletion != nil ? "max_completion_tokens" : "max_tokens")
        return request
    }

    static func checkModel(_ fields: JSONFields, names: Set<String>) throws(APIError) {
        guard let model = try fields.string("model") else { return }
        guard names.contains(model) else {
            throw APIError(status: .notFound, message: "The model '\(model)' does not exist. Available: \(names.sorted().joined(separator: ", ")).",
                           param: "model", code: "model_not_found")
        }
    }

    static func parseEffort(_ name: String?, param: String, default fallback: Effort) throws(APIError) -> Effort {
        guard let name else { return fallback }
        if name == "minimal" { return .none }
        guard let effort = Effort(rawValue: name) else {
            throw APIError.invalid("Invalid value for '\(param)': '\(name)'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high' and 'auto'.",
                                   param: param)
        }
        return effort
    }

    static func stopStrings(_ fields: JSONFields) throws(APIError) -> [String] {
        let stop = try fields.strings("stop", max: 4) ?? []
        if stop.contains(where: \.isEmpty) {
            throw APIError.invalid("Invalid 'stop': stop strings must not be empty.", param: "stop")
        }
        return stop
    }

    /// Cross-field checks shared by both routes, against the plan the reasoner will follow (a
    /// request whose configuration is invalid is refused when it runs, with the reasoner's error).
    static func checkCompatibility(_ request: ServingRequest, configuration: ServerConfiguration, maxTokensParam: String) throws(APIError) {
        guard let plan = try? request.configuration(choice: 0).plan, !plan.isDirect else { return }
        if let topP = request.topP, topP != 1 {
            throw APIError.invalid("'top_p' applies only without reasoning: set reasoning_effort to 'none' or leave top_p out.", param: "top_p",
                                   code: "unsupported_parameter")
        }
        if let maxTokens = request.maxTokens, maxTokens < 2 * plan.chains {
            throw APIError.invalid("'\(maxTokensParam)' is \(maxTokens), too few for \(plan.chains) reasoning chain(s): give at least \(2 * plan.chains).",
                                   param: maxTokensParam)
        }
        if request.maxTokens == nil, plan.chains * plan.tokensPerChain > configuration.maxTokensPerRequest {
            throw APIError.invalid("This request could use \(plan.chains * plan.tokensPerChain) tokens but the server allows \(configuration.maxTokensPerRequest) per request: "
                                   + "lower ponder.samples or ponder.max_reasoning_tokens, or set \(maxTokensParam).", param: "ponder")
        }
    }

    /// One message: `role` and `content` (a string, or an array of text parts).
    static func message(_ raw: JSONValue, param: String) throws(APIError) -> ChatMessage {
        guard case .object(let object) = raw else {
            throw APIError.invalid("Invalid type for '\(param)': expected an object, but got \(raw.typeName) instead.", param: param, code: "invalid_type")
        }
        let fields = JSONFields(object, prefix: param + ".")
        guard let roleName = try fields.string("role") else {
            throw APIError.invalid("Missing required parameter: '\(param).role'.", param: param + ".role", code: "missing_required_parameter")
        }
        let role: ChatMessage.Role
        switch roleName {
        case "system", "developer": role = .system
        case "user": role = .user
        case "assistant": role = .assistant
        case "tool": role = .tool
        default:
            throw APIError.invalid("Invalid value: '\(roleName)'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.",
                                   param: param + ".role")
        }
        return ChatMessage(role: role, content: try text(fields, key: "content", required: role != .assistant))
    }

    /// Text from a string or an array of `{"type": "text" | "input_text" | "output_text", "text": ...}` parts.
    static func text(_ fields: JSONFields, key: String, required: Bool) throws(APIError) -> String {
        guard let value = fields.value(key) else {
            if required {
                throw APIError.invalid("Missing required parameter: '\(fields.prefix)\(key)'.", param: fields.prefix + key, code: "missing_required_parameter")
            }
            return ""
        }
        switch value {
        case .string(let string): return string
        case .array(let parts):
            var text = ""
            for (index, part) in parts.enumerated() {
                let param = "\(fields.prefix)\(key)[\(index)]"
                guard case .object(let object) = part else {
                    throw APIError.invalid("Invalid type for '\(param)': expected an object, but got \(part.typeName) instead.", param: param, code: "invalid_type")
                }
                let partFields = JSONFields(object, prefix: param + ".")
                let type = try partFields.string("type") ?? "text"
                guard ["text", "input_text", "output_text"].contains(type) else {
                    throw APIError.invalid("Invalid '\(param).type': '\(type)'. Only text parts are supported.", param: param + ".type")
                }
                text += try partFields.string("text") ?? ""
            }
            return text
        default:
            throw fields.wrongType(key, value, "a string or an array of text parts")
        }
    }
}
