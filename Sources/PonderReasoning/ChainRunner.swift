import Foundation
import PonderCore

/// Runs N reasoning chains of one conversation as one request (the engine decodes the prompt once
/// and the chains together), each steered by a `ChainSteerer`, and reports each chain as it ends.
struct ChainRunner: Sendable {
    let model: any LanguageModel
    let format: ThinkingFormat

    /// Versioned instructions for models without native thinking (prompt v1).
    static let instructions = """
        Think step by step before answering. First write your reasoning in short, numbered steps. \
        Then write the final answer on a new line that starts with "Answer:".
        """

    /// Called as each chain ends; return true to stop the chains still running (early stopping).
    typealias ChainHandler = @Sendable (_ index: Int, _ chain: ReasoningChain) async -> Bool

    /// Runs `count` chains; returns them in index order (chains stopped early are absent).
    /// The instructions, with each tool's invitation appended.
    static func instructions(tools: [any ReasoningTool]) -> String {
        tools.isEmpty ? instructions : ([instructions] + tools.map(\.invitation)).joined(separator: " ")
    }

    func run(messages: [ChatMessage], count: Int, reasoningBudget: Int, answerBudget: Int,
             sampling: SamplingParameters, tools: [any ReasoningTool] = [], maxToolCalls: Int = 8,
             normalize: @escaping @Sendable (String) -> String?,
             onReasoningText: @escaping @Sendable (String) async -> Void,
             onToolCall: @escaping @Sendable (ToolCall, String) async -> Void = { _, _ in },
             onChain: ChainHandler) async throws -> [Int: ReasoningChain] {
        let steerers = SteererRegistry()
        let format = self.format
        var request = try GenerationRequest(
            prompt: format.prompt(for: messages, instructions: Self.instructions(tools: tools)),
            sampling: sampling.with(maxTokens: reasoningBudget + answerBudget + 8), count: count)
        request.steering = SteeringFactory { index in
            let steerer = ChainSteerer(format: format, reasoningBudget: reasoningBudget,
                                       answerBudget: answerBudget, answerEndsAtNewline: true,
                                       tools: tools, maxToolCalls: maxToolCalls)
            steerers.register(steerer, for: index)
            return steerer
        }
        var chains: [Int: ReasoningChain] = [:]
        var toolTokens: [Int: Int] = [:]
        var shownText = ""
        var showing = true
        for try await event in model.generate(request) {
            switch event {
            case .text(let delta):
                let isToolText = delta.isInjected && delta.text != format.forcedClosing
                if isToolText { toolTokens[delta.sequence, default: 0] += delta.tokens.count }
                // Stream the first chain's reasoning (hidden unless the user asks to see it).
                guard delta.sequence == 0, showing else { continue }
                if isToolText {
                    shownText += delta.text
                    if let call = steerers.steerer(for: 0)?.toolCalls.last { await onToolCall(call, delta.text) }
                    continue
                }
                if delta.isInjected { showing = false; continue }
                let alreadyShown = shownText.count
                shownText += delta.text
                if let marker = shownText.range(of: format.answerMarker) {
                    let reasoningLength = shownText.distance(from: shownText.startIndex, to: marker.lowerBound)
                    if reasoningLength > alreadyShown {
                        await onReasoningText(String(shownText.dropFirst(alreadyShown).prefix(reasoningLength - alreadyShown)))
                    }
                    showing = false
                } else {
                    await onReasoningText(delta.text)
                }
            case .finished(let finish):
                guard let steerer = steerers.steerer(for: finish.sequence) else { continue }
                let parts = steerer.parts
                let extracted = normalize(parts.answer) ?? normalize(parts.reasoning)
                let chain = ReasoningChain(
                    reasoning: parts.reasoning, answer: parts.answer, extractedAnswer: extracted,
                    reasoningTokens: steerer.reasoningTokens > 0 ? steerer.reasoningTokens : finish.usage.completionTokens,
                    answerTokens: max(0, finish.usage.completionTokens - steerer.reasoningTokens),
                    budgetForced: steerer.forced, forcedAtEnd: steerer.forcedAtEnd, score: nil,
                    toolCalls: steerer.toolCalls, toolTokens: toolTokens[finish.sequence] ?? 0)
                chains[finish.sequence] = chain
                if await onChain(finish.sequence, chain) { return chains }
            }
        }
        try Task.checkCancellation()
        return chains
    }
}

/// The steerers a request created, by sequence index.
private final class SteererRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var steerers: [Int: ChainSteerer] = [:]

    func register(_ steerer: ChainSteerer, for index: Int) {
        lock.lock(); defer { lock.unlock() }
        steerers[index] = steerer
    }

    func steerer(for index: Int) -> ChainSteerer? {
        lock.lock(); defer { lock.unlock() }
        return steerers[index]
    }
}
