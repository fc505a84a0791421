import Foundation
import PonderCore

/// One chain as the engine produced it: its trace record, and what training needs besides.
struct ChainResult: Sendable {
    /// Sequence index in the request (its seed is the request's seed plus this).
    let index: Int
    /// The record the trace keeps.
    let chain: ReasoningChain
    /// Everything the sequence wrote, sampled and forced in, exactly as decoded.
    let completion: String
    /// What the steerer forced in, in order.
    let injections: [ChainInjection]
}

extension ReasoningRun {
    /// Called as each chain ends; return true to stop the chains still running (early stopping).
    typealias ChainHandler = @Sendable (_ index: Int, _ chain: ReasoningChain) async -> Bool

    /// The prompt every chain of the plan continues: the conversation in the thinking format,
    /// with the prompt file's instructions for the plan's tools.
    var chainPrompt: Prompt {
        format.prompt(for: messages, instructions: prompt.instructions(tools: plan.tools))
    }

    /// Runs the plan's chains as one request (the engine decodes the prompt once and the chains
    /// together) and reports each as it ends; returns them in index order (chains stopped early
    /// are absent). The first chain's reasoning, tool output and closing stream to the recorder,
    /// and with `streamsAnswer` its answer too, as it is written.
    func runChains(streamsAnswer: Bool = false, onChain: @escaping ChainHandler) async throws -> [ReasoningChain] {
        var view = FirstChainView(run: self, streamsAnswer: streamsAnswer)
        let shows = showsFirstChain
        let results = try await generateChains(onText: { delta, steerer in if shows { await view.show(delta, steerer: steerer) } }) { result in
            recorder.addToolTokens(result.chain.toolTokens)
            recorder.addReasoningTokens(result.chain.reasoningTokens)
            recorder.addAnswerTokens(result.chain.answerTokens)
            return await onChain(result.index, result.chain)
        }
        return results.map(\.chain)
    }

    /// Runs the plan's chains and returns every chain that ended, in index order; `onText` sees
    /// each text delta with its sequence's steerer, and `onChain` each chain as it ends (true
    /// stops the rest).
    func generateChains(onText: (TextDelta, ChainSteerer?) async -> Void = { _, _ in },
                        onChain: (ChainResult) async -> Bool = { _ in false }) async throws -> [ChainResult] {
        let plan = self.plan, format = self.format
        let steerers = SteererRegistry()
        let answerForm = configuration.answerForm, maxToolCalls = configuration.tools.maxCallsPerChain
        let sampling = try SamplingParameters(temperature: plan.temperature, seed: configuration.seed &+ seedOffset,
                                              maxTokens: plan.reasoningBudget + plan.answerBudget + 8)
        let confidence = configuration.confidence, stopBelow = self.stopBelow
        var request = try GenerationRequest(prompt: chainPrompt, sampling: sampling, count: plan.chains)
        request.confidenceTopK = confidence.topK
        request.steering = SteeringFactory { index in
            let steerer = ChainSteerer(format: format, reasoningBudget: plan.reasoningBudget, answerBudget: plan.answerBudget,
                                       answerEndsAtNewline: answerForm == .line, tools: plan.tools, maxToolCalls: maxToolCalls,
                                       stopBelow: stopBelow, confidenceWindow: confidence.window)
            steerers.register(steerer, for: index)
            return steerer
        }
        var results: [Int: ChainResult] = [:]
        var completions: [Int: String] = [:]
        var injections: [Int: [ChainInjection]] = [:]
        var confidences: [Int: [Double]] = [:]
        for try await event in model.generate(request) {
            switch event {
            case .text(let delta):
                let offset = completions[delta.sequence]?.utf8.count ?? 0
                completions[delta.sequence, default: ""] += delta.text
                if let values = delta.confidences { confidences[delta.sequence, default: []] += values }
                if let purpose = delta.injection {
                    injections[delta.sequence, default: []].append(ChainInjection(purpose: purpose, text: delta.text,
                                                                                  tokens: delta.tokens.count, offset: offset))
                }
                await onText(delta, steerers.steerer(for: delta.sequence))
            case .finished(let finish):
                guard let steerer = steerers.steerer(for: finish.sequence) else { continue }
                var chain = record(of: steerer, finish: finish, injections: injections[finish.sequence] ?? [])
                chain.confidence = confidences[finish.sequence].flatMap {
                    ChainConfidence(tokenConfidences: $0, window: confidence.window, tail: confidence.tail)
                }
                if steerer.stoppedLowConfidence { chain.stoppedLowConfidence = true }
                let result = ChainResult(index: finish.sequence, chain: chain,
                                         completion: completions[finish.sequence] ?? "", injections: injections[finish.sequence] ?? [])
                results[finish.sequence] = result
                if await onChain(result) { return Self.ordered(results) }
            }
        }
        try Task.checkCancellation()
        return Self.ordered(results)
    }

    /// The trace's record of a finished chain: the steerer's split of its text, and the
    /// injections' purposes for what was forced in.
    private func record(of steerer: ChainSteerer, finish: SequenceFinish, injections: [ChainInjection]) -> ReasoningChain {
        let parts = steerer.parts
        let closing = injections.first { $0.purpose == .budgetClose || $0.purpose == .forcedEnd }
        // A chain that never reached its answer (stopped for low confidence, or by the context)
        // spent every token reasoning.
        let answerTokens = steerer.reasoningTokens > 0 ? max(0, finish.usage.completionTokens - steerer.reasoningTokens) : 0
        let finishReason: FinishReason = answerTokens >= plan.answerBudget ? .length : (finish.reason == .cancelled ? .cancelled : .stop)
        return ReasoningChain(
            reasoning: parts.reasoning, answer: parts.answer,
            extractedAnswer: normalizer.normalize(parts.answer) ?? normalizer.normalize(parts.reasoning),
            reasoningTokens: steerer.reasoningTokens > 0 ? steerer.reasoningTokens : finish.usage.completionTokens,
            answerTokens: answerTokens, budgetForced: closing != nil, forcedAtEnd: closing?.purpose == .forcedEnd, score: nil,
            toolCalls: steerer.toolCalls,
            toolTokens: injections.filter { $0.purpose == .toolResult }.reduce(0) { $0 + $1.tokens },
            finishReason: finishReason)
    }

    private static func ordered(_ results: [Int: ChainResult]) -> [ChainResult] {
        results.sorted { $0.key < $1.key }.map(\.value)
    }
}

/// What the user sees of the first chain while it runs: its reasoning (hidden unless asked for),
/// tool output and the summaries they prompt, the closing, then its answer line.
private struct FirstChainView {
    let run: ReasoningRun
    let streamsAnswer: Bool
    private var shownText = ""
    private var inAnswer = false
    private var answerLine: AnswerLineStreamer
    private let firstSentence = SentenceCatcher()

    init(run: ReasoningRun, streamsAnswer: Bool) {
        self.run = run
        self.streamsAnswer = streamsAnswer
        answerLine = AnswerLineStreamer(endsAtNewline: run.configuration.answerForm == .line)
    }

    mutating func show(_ delta: TextDelta, steerer: ChainSteerer?) async {
        guard delta.sequence == 0 else { return }
        let recorder = run.recorder
        let closing = delta.injection == .budgetClose || delta.injection == .forcedEnd
        if inAnswer {
            if streamsAnswer, !closing { streamAnswer(delta.text) }
            return
        }
        if delta.isInjected, !closing {
            shownText += delta.text
            if let call = steerer?.toolCalls.last {
                recorder.toolOutput(delta.text)
                if let tool = run.plan.tools.first(where: { $0.name == call.tool }) {
                    let summary = tool.summary(of: call)
                    recorder.summary(summary.title, summary.text)
                }
            }
            return
        }
        if closing {
            inAnswer = true
            recorder.summary("Closing the reasoning", delta.injection == .forcedEnd
                ? "The model stopped without an answer line, so the answer was asked for."
                : "The \(run.plan.reasoningBudget)-token budget was reached, so the answer was asked for.")
            return
        }
        let alreadyShown = shownText.count
        shownText += delta.text
        guard let marker = shownText.range(of: run.format.answerMarker) else {
            reasoning(delta.text)
            return
        }
        let reasoningLength = shownText.distance(from: shownText.startIndex, to: marker.lowerBound)
        if reasoningLength > alreadyShown {
            reasoning(String(shownText.dropFirst(alreadyShown).prefix(reasoningLength - alreadyShown)))
        }
        inAnswer = true
        if streamsAnswer { streamAnswer(String(shownText[marker.upperBound...])) }
    }

    private func reasoning(_ text: String) {
        run.recorder.reasoningText(text)
        if let sentence = firstSentence.feed(text) {
            run.recorder.summary("Working through the problem", sentence)
        }
    }

    private mutating func streamAnswer(_ text: String) {
        let shown = answerLine.feed(text)
        if !shown.isEmpty { run.recorder.streamAnswerText(shown) }
    }
}

/// The steerers a request created, by sequence index (each is read once its sequence's events
/// arrive, after the engine's last mutation of it).
private final class SteererRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var steerers: [Int: ChainSteerer] = [:]

    func register(_ steerer: ChainSteerer, for index: Int) {
        lock.withLock { steerers[index] = steerer }
    }

    func steerer(for index: Int) -> ChainSteerer? {
        lock.withLock { steerers[index] }
    }
}
