import Foundation
import PonderCore
import PonderReasoning

/// How much of the reasoning summary the Responses API returns (`reasoning.summary`).
enum SummaryDetail: String, Sendable {
    /// Each step's bold title and sentence.
    case auto, detailed
    /// Only each step's bold title.
    case concise
}

/// Parses and validates the body of `POST /v1/responses` (the subset that matters for reasoning).
enum ResponsesRequest {
    struct Parsed: Sendable {
        var request: ServingRequest
        /// Summary detail asked for, or nil for no summaries (OpenAI's default).
        var summary: SummaryDetail?
        var instructions: String?
        var maxOutputTokens: Int?
    }

    static func parse(_ body: Data, configuration: ServerConfiguration, modelNames: Set<String>) throws(APIError) -> Parsed {
        let fields = JSONFields(try JSONValue.parseObject(body))
        try ChatCompletionRequest.checkModel(fields, names: modelNames)
        var messages: [ChatMessage] = []
        let instructions = try fields.string("instructions")
        if let instructions { messages.append(.system(instructions)) }
        guard let input = fields.value("input") else {
            throw APIError.invalid("Missing required parameter: 'input'.", param: "input", code: "missing_required_parameter")
        }
        switch input {
        case .string(let text):
            messages.append(.user(text))
        case .array(let items):
            guard !items.isEmpty else {
                throw APIError.invalid("Invalid 'input': empty array. Expected an array with minimum length 1.", param: "input", code: "empty_array")
            }
            for (index, item) in items.enumerated() {
                messages.append(try ChatCompletionRequest.message(item, param: "input[\(index)]"))
            }
        default:
            throw fields.wrongType("input", input, "a string or an array of messages")
        }
        var effort = configuration.defaultEffort
        var summary: SummaryDetail?
        if let reasoning = try fields.object("reasoning") {
            effort = try ChatCompletionRequest.parseEffort(reasoning.string("effort"), param: "reasoning.effort", default: effort)
            if let name = try reasoning.string("summary") {
                guard let detail = SummaryDetail(rawValue: name) else {
                    throw APIError.invalid("Invalid value for 'reasoning.summary': '\(name)'. Supported values are: 'auto', 'concise' and 'detailed'.",
                                           param: "reasoning.summary")
                }
                summary = detail
            }
        }
        let maxOutput = try fields.integer("max_output_tokens", in: 1...configuration.maxTokensPerRequest)
        var request = ServingRequest(
            messages: messages, effort: effort, maxTokens: maxOutput,
            temperature: try fields.number("temperature", in: 0...2), topP: try fields.number("top_p", in: 0.000001...1),
            seed: 0, stop: [], n: 1, stream: try fields.bool("stream") ?? false, includeUsage: true,
            ponder: try PonderOptions.parse(fields.object("ponder"), limits: configuration))
        request.toolCatalog = configuration.toolCatalog
        request.trainedVerifier = configuration.trainedVerifier
        try ChatCompletionRequest.checkCompatibility(request, configuration: configuration, maxTokensParam: "max_output_tokens")
        return Parsed(request: request, summary: summary, instructions: instructions, maxOutputTokens: maxOutput)
    }
}
