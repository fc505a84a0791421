import Foundation
import PonderCore
import PonderReasoning

/// Samples K reasoning chains for one problem in one parallel request, through the reasoning core
/// itself (`Reasoner.sampleChains`), so the chains use exactly the prompt, thinking format,
/// instructions and budget forcing that inference uses. The prompt and each chain's raw text
/// become the training conversation. With tools (the calculator), the chains call them as at
/// inference, and where their results were forced in is recorded (`SampledChain.toolResults`).
public struct ChainSampler: Sendable {
    /// The model that samples.
    public let model: any LanguageModel
    /// Reasoning-token budget per chain.
    public let maxReasoningTokens: Int
    /// Sampling temperature (0...2).
    public let temperature: Double
    /// Tools inside the reasoning (none by default).
    public let tools: ToolUse

    /// Creates a sampler.
    public init(model: any LanguageModel, maxReasoningTokens: Int, temperature: Double, tools: ToolUse = .none) {
        self.model = model
        self.maxReasoningTokens = maxReasoningTokens
        self.temperature = temperature
        self.tools = tools
    }

    /// Samples `count` chains for `question`. With a `hint`, the model sees the question followed by
    /// the hint, and the recorded conversation has the plain question (rationalization).
    public func sample(question: String, hint: String? = nil, count: Int, seed: UInt32) async throws -> [SampledChain] {
        let configuration = try ReasoningConfiguration(effort: .medium, maxReasoningTokens: maxReasoningTokens,
                                                       temperature: temperature, seed: seed, tools: tools)
        let asked = hint.map { question + "\n\n" + $0 } ?? question
        let sampled = try await Reasoner(model: model).sampleChains(about: [.user(asked)], count: count, configuration: configuration)
        return sampled.map { sample in
            let (messages, prefix) = Self.conversation(of: sample.prompt)
            let shown = messages.map { message in
                message.role == .user && message.content == asked ? ChatMessage.user(question) : message
            }
            let chain = sample.chain
            let raw = prefix + sample.completion
            let completion = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let results = Self.toolResults(of: sample.injections, prefixBytes: prefix.utf8.count, raw: raw, completion: completion)
            return SampledChain(messages: shown, completion: completion,
                                reasoning: chain.reasoning, answer: chain.answer, extractedAnswer: chain.extractedAnswer,
                                budgetForced: chain.budgetForced, forcedAtEnd: chain.forcedAtEnd, sequence: sample.sequence, seed: seed,
                                toolResults: results)
        }
    }

    /// Where the tool results among `injections` lie in `completion` (`raw` trimmed at its ends;
    /// the injections' offsets count from the end of the assistant prefix, `prefixBytes` long):
    /// each at its recorded offset, trimmed of whitespace, checked against the text; a result
    /// without a usable offset is searched for after the previous one.
    static func toolResults(of injections: [ChainInjection], prefixBytes: Int, raw: String, completion: String) -> [MaskedSpan] {
        let bytes = Array(completion.utf8)
        let lead = raw.utf8.count - String(raw.drop { $0.isWhitespace }).utf8.count
        var spans: [MaskedSpan] = [], cursor = 0
        for injection in injections where injection.purpose == .toolResult {
            let text = Array(injection.text.utf8)
            let leading = text.prefix { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }.count
            let trimmed = Array(injection.text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
            guard !trimmed.isEmpty else { continue }
            var span: MaskedSpan?
            if let offset = injection.offset {
                let start = prefixBytes + offset + leading - lead
                if start >= cursor, start + trimmed.count <= bytes.count, bytes[start..<(start + trimmed.count)].elementsEqual(trimmed) {
                    span = MaskedSpan(start: start, end: start + trimmed.count)
                }
            }
            if span == nil, let found = MaskedSpan.locate([injection.text], in: String(decoding: bytes[cursor...], as: UTF8.self)).first {
                span = MaskedSpan(start: cursor + found.start, end: cursor + found.end)
            }
            guard let span else { continue }
            spans.append(span)
            cursor = span.end
        }
        return spans
    }

    /// The messages of a chat prompt, and the assistant prefix a continuation begins with.
    private static func conversation(of prompt: Prompt) -> (messages: [ChatMessage], prefix: String) {
        switch prompt {
        case .chat(let messages): return (messages, "")
        case .continuation(let messages, let prefix): return (messages, prefix)
        case .text, .tokens: return ([], "")
        }
    }
}
