import Foundation
import PonderCore
import PonderReasoning

/// Samples K reasoning chains for one problem in one parallel request, through the reasoning core
/// itself (`Reasoner.sampleChains`), so the chains use exactly the prompt, thinking format,
/// instructions and budget forcing that inference uses. The prompt and each chain's raw text
/// become the training conversation.
public struct ChainSampler: Sendable {
    /// The model that samples.
    public let model: any LanguageModel
    /// Reasoning-token budget per chain.
    public let maxReasoningTokens: Int
    /// Sampling temperature (0...2).
    public let temperature: Double

    /// Creates a sampler.
    public init(model: any LanguageModel, maxReasoningTokens: Int, temperature: Double) {
        self.model = model
        self.maxReasoningTokens = maxReasoningTokens
        self.temperature = temperature
    }

    /// Samples `count` chains for `question`. With a `hint`, the model sees the question followed by
    /// the hint, and the recorded conversation has the plain question (rationalization).
    public func sample(question: String, hint: String? = nil, count: Int, seed: UInt32) async throws -> [SampledChain] {
        let configuration = try ReasoningConfiguration(effort: .medium, maxReasoningTokens: maxReasoningTokens,
                                                       temperature: temperature, seed: seed)
        let asked = hint.map { question + "\n\n" + $0 } ?? question
        let sampled = try await Reasoner(model: model).sampleChains(about: [.user(asked)], count: count, configuration: configuration)
        return sampled.map { sample in
            let (messages, prefix) = Self.conversation(of: sample.prompt)
            let shown = messages.map { message in
                message.role == .user && message.content == asked ? ChatMessage.user(question) : message
            }
            let chain = sample.chain
            return SampledChain(messages: shown, completion: (prefix + sample.completion).trimmingCharacters(in: .whitespacesAndNewlines),
                                reasoning: chain.reasoning, answer: chain.answer, extractedAnswer: chain.extractedAnswer,
                                budgetForced: chain.budgetForced, forcedAtEnd: chain.forcedAtEnd, sequence: sample.sequence, seed: seed)
        }
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
