import Foundation
import PonderCore

/// Runs N reasoning chains of one conversation as one request (the engine decodes the prompt once
/// and the chains together), each steered by a `ChainSteerer`, and reports each chain as it ends.
struct ChainRunner: Sendable {
    let model: any LanguageModel
    let format: ThinkingFormat
    let prompt: ReasoningPrompt

    /// Called as each chain ends; return true to stop the chains still running (early stopping).
    typealias ChainHandler = @Sendable (_ index: Int, _ chain: ReasoningChain) async -> Bool

    /// Runs `count` chains; returns them by index (chains stopped early are absent). The first
    /// chain's reasoning streams to `onReasoningText`, `onForcedClosing` tells when the engine had to
    /// close that reasoning, and its answer streams, as it is written, to `onAnswerText` when given.
    func run(messages: [ChatMessage], count: Int, reasoningBudget: Int, answerBudget: Int, answerForm: AnswerForm = .line,
             sampling: SamplingParameters, tools: [any ReasoningTool] = [], maxToolCalls: Int = 8,
             normalize: @escaping @Sendable (String) -> String?,
             onReasoningText: @escaping @Sendable (String) async -> Void,
             onToolCall: @escaping @Sendable (ToolCall, String) async -> Void = { _, _ in },
             onForcedClosing: @escaping @Sendable (_ atEnd: Bool) async -> Void = { _ in },
             onAnswerText: (@Sendable (String) async -> Void)? = nil,
             onChain: ChainHandler) async throws -> [Int: ReasoningChain] {
        let steerers = SteererRegistry()
        let format = self.format
        var request = try GenerationRequest(
            prompt: format.prompt(for: messages, instructions: prompt.instructions(tools: tools)),
            sampling: sampling.with(maxTokens: reasoningBudget + answerBudget + 8), count: count)
        request.steering = SteeringFactory { index in
            let steerer = ChainSteerer(format: format, reasoningBudget: reasoningBudget,
                                       answerBudget: answerBudget, answerEndsAtNewline: answerForm == .line,
                                       tools: tools, maxToolCalls: maxToolCalls)
            steerers.register(steerer, for: index)
            return steerer
        }
        var chains: [Int: ReasoningChain] = [:]
        var toolTokens: [Int: Int] = [:]
        var shownText = ""
        var phase = FirstChainPhase.reasoning
        var answerLine = AnswerLineStreamer(endsAtNewline: answerForm == .line)
        for try await event in model.generate(request) {
            switch event {
            case .text(let delta):
                let isForcedClosing = delta.isInjected && delta.text == format.forcedClosing
                let isToolText = delta.isInjected && !isForcedClosing
                if isToolText { toolTokens[delta.sequence, default: 0] += delta.tokens.count }
                // Stream the first chain's reasoning (hidden unless the user asks to see it), then its answer.
                guard delta.sequence == 0 else { continue }
                switch phase {
                case .answer:
                    if let onAnswerText, !isForcedClosing {
                        let shown = answerLine.feed(delta.text)
                        if !shown.isEmpty { await onAnswerText(shown) }
                    }
                case .reasoning:
                    if isToolText {
                        shownText += delta.text
                        if let call = steerers.steerer(for: 0)?.toolCalls.last { await onToolCall(call, delta.text) }
                        continue
                    }
                    if isForcedClosing {
                        phase = .answer
                        await onForcedClosing(steerers.steerer(for: 0)?.forcedAtEnd ?? false)
                        continue
                    }
                    let alreadyShown = shownText.count
                    shownText += delta.text
                    guard let marker = shownText.range(of: format.answerMarker) else {
                        await onReasoningText(delta.text)
                        continue
                    }
                    let reasoningLength = shownText.distance(from: shownText.startIndex, to: marker.lowerBound)
                    if reasoningLength > alreadyShown {
                        await onReasoningText(String(shownText.dropFirst(alreadyShown).prefix(reasoningLength - alreadyShown)))
                    }
                    phase = .answer
                    if let onAnswerText {
                        let shown = answerLine.feed(String(shownText[marker.upperBound...]))
                        if !shown.isEmpty { await onAnswerText(shown) }
                    }
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

/// Where the first chain's streamed text is.
private enum FirstChainPhase {
    case reasoning, answer
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
