import PonderCore

/// Runs one `GenerationRequest` against the upstream and reports its events.
///
/// Without steering and with an upstream that has `n`, all sequences share one request (the
/// upstream processes the prompt once). Otherwise every sequence is its own request, run
/// concurrently, seeded `seed + i`; a steering injection cancels that sequence's request and
/// continues it with a new one whose assistant prefix is everything so far plus the injected text.
struct RemoteGeneration: Sendable {
    let client: UpstreamClient
    let mapper: RequestMapper
    let request: GenerationRequest
    let events: AsyncThrowingStream<GenerationEvent, Error>.Continuation

    /// How a request of one sequence ended.
    private enum Outcome {
        case finish(FinishReason)
        case inject(InjectedText)
        /// A slow tool's text: the request is cancelled now, the sequence continues once it is ready.
        case injectWhenReady(PendingInjection)
    }

    private var topLogprobs: Int? {
        request.includeLogprobs || request.topLogprobs > 0 ? request.topLogprobs : nil
    }

    private func newState(_ index: Int) -> SequenceState {
        SequenceState(index: index, stop: request.sampling.stop, includeLogprobs: request.includeLogprobs,
                      includeTop: request.topLogprobs > 0)
    }

    func run() async throws {
        if request.steering == nil, request.count > 1, mapper.flavor.supportsParallelSamples {
            try await runShared()
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<request.count {
                group.addTask { try await runSequence(index) }
            }
            try await group.waitForAll()
        }
    }

    /// One sequence, possibly over several requests (one more per injection).
    private func runSequence(_ index: Int) async throws {
        let sampling = request.sampling
        let steerer = request.steering?.makeSteerer(sequence: index)
        var state = newState(index)
        var prompt = request.prompt
        var promptTokens: Int?
        var completionTokens = 0
        var injectedTokens = 0
        var requestNumber = 0
        while true {
            let sampledBefore = state.sampled
            let completedBefore = completionTokens
            let remaining = sampling.maxTokens - state.sampled
            guard remaining > 0 else { return finish(&state, .length, promptTokens, completionTokens, injectedTokens) }
            // With a steerer, stop strings are applied here only, so an upstream "stop" always means
            // the model ended its turn (what `willEnd` is about).
            let upstream = try mapper.request(prompt: prompt, sampling: sampling, maxTokens: remaining,
                                              seed: sampling.seed &+ UInt32(truncatingIfNeeded: index), count: 1,
                                              topLogprobs: topLogprobs, stop: steerer == nil ? sampling.stop : [])
            var usage: WireUsage?
            var upstreamFinish: String?
            var outcome: Outcome?
            reading: for try await chunk in client.stream(upstream) {
                if let chunkUsage = chunk.usage { usage = chunkUsage }
                // Once the token limit is reached, read on only for the usage chunk (the upstream
                // was asked for exactly the remaining tokens, so it ends by itself).
                if case .finish(.length)? = outcome { continue }
                for choice in chunk.choices ?? [] {
                    let step = state.absorb(choice)
                    if let delta = step.delta { events.yield(.text(delta)) }
                    if step.stopped { outcome = .finish(.stop); break reading }
                    if let steerer, step.tokens > 0 || !step.visible.isEmpty {
                        switch steerer.observe(text: step.visible, sampledTokens: state.sampled) {
                        case .proceed: break
                        case .stop: outcome = .finish(.stop); break reading
                        case .inject(let text): outcome = .inject(text); break reading
                        case .injectWhenReady(let pending): outcome = .injectWhenReady(pending); break reading
                        }
                    }
                    if state.sampled >= sampling.maxTokens { outcome = .finish(.length); break }
                    if let reason = choice.finishReason { upstreamFinish = reason }
                }
            }
            try Task.checkCancellation()
            if outcome == nil {
                guard let upstreamFinish else {
                    throw RemoteError.malformedStream("the stream ended before sequence \(index) finished")
                }
                if upstreamFinish == "length" {
                    outcome = .finish(.length)
                } else {
                    switch steerer?.willEnd(sampledTokens: state.sampled) {
                    case .inject(let text)?: outcome = .inject(text)
                    case .injectWhenReady(let pending)?: outcome = .injectWhenReady(pending)
                    default: outcome = .finish(.stop)
                    }
                }
            }
            completionTokens = completedBefore + (usage?.completionTokens ?? (state.sampled - sampledBefore))
            if let reported = usage?.promptTokens {
                if requestNumber == 0 {
                    promptTokens = reported
                } else if promptTokens == nil {
                    // The first request was cut short before its usage: its prompt is this prompt minus
                    // the text sampled and injected since.
                    promptTokens = max(0, reported - completedBefore - injectedTokens)
                } else if mapper.flavor != .llamaServer, let first = promptTokens {
                    injectedTokens = max(0, reported - first - completedBefore)
                }
            }
            requestNumber += 1
            let injection: InjectedText
            var readyLater = false
            switch outcome {
            case .inject(let forced):
                injection = forced
            case .injectWhenReady(let pending):
                if let delta = state.flush() { events.yield(.text(delta)) }
                injection = InjectedText(await Self.text(of: pending), kind: pending.kind, purpose: pending.purpose)
                try Task.checkCancellation()
                readyLater = true
            case .finish(let reason):
                return finish(&state, reason, promptTokens, completionTokens, injectedTokens)
            case nil:
                return
            }
            if mapper.flavor == .llamaServer {
                injectedTokens += (try? await client.countTokensWithLlamaServer(injection)) ?? 0
            }
            if let delta = state.flush() { events.yield(.text(delta)) }
            events.yield(.text(state.inject(injection.text, purpose: injection.purpose)))
            if readyLater { steerer?.didInject(injection.text) }
            prompt = try continuation(of: request.prompt, with: state.assistantText)
        }
    }

    /// Waits for a slow tool's text; cancelling the waiting task cancels the tool's work.
    private static func text(of pending: PendingInjection) async -> String {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
                pending.whenReady { continuation.resume(returning: pending.text ?? "") }
            }
        } onCancel: {
            pending.cancel()
        }
    }

    private func finish(_ state: inout SequenceState, _ reason: FinishReason, _ promptTokens: Int?, _ completion: Int, _ injected: Int) {
        if let delta = state.flush() { events.yield(.text(delta)) }
        let usage = Usage(promptTokens: promptTokens ?? 0, completionTokens: completion, injectedTokens: injected)
        events.yield(.finished(SequenceFinish(sequence: state.index, reason: reason, usage: usage)))
    }

    /// The prompt that continues `original` after the assistant has written `text`.
    private func continuation(of original: Prompt, with text: String) throws -> Prompt {
        switch original {
        case .chat(let messages): return .continuation(messages, assistantPrefix: text)
        case let .continuation(messages, prefix): return .continuation(messages, assistantPrefix: prefix + text)
        case .text(let prompt): return .text(prompt + text)
        case .tokens: throw RemoteError.unsupported(feature: "steering injections into a prompt of token ids", flavor: mapper.flavor)
        }
    }

    /// All sequences in one request with `n`; finishes are reported when the stream ends, with the
    /// prompt tokens of the upstream's usage and each sequence's own sampled-token count.
    private func runShared() async throws {
        let sampling = request.sampling
        var states = (0..<request.count).map(newState)
        var reasons = [FinishReason?](repeating: nil, count: request.count)
        var promptTokens: Int?
        var stoppedHere = false
        let upstream = try mapper.request(prompt: request.prompt, sampling: sampling, maxTokens: sampling.maxTokens,
                                          seed: sampling.seed, count: request.count, topLogprobs: topLogprobs, stop: sampling.stop)
        reading: for try await chunk in client.stream(upstream) {
            if let usage = chunk.usage, promptTokens == nil { promptTokens = usage.promptTokens }
            for choice in chunk.choices ?? [] {
                let index = choice.index ?? 0
                guard states.indices.contains(index) else {
                    throw RemoteError.malformedStream("a choice has index \(index) but \(request.count) were asked for")
                }
                guard reasons[index] == nil else { continue }
                let step = states[index].absorb(choice)
                if let delta = step.delta { events.yield(.text(delta)) }
                if step.stopped {
                    reasons[index] = .stop
                    stoppedHere = true
                } else if states[index].sampled >= sampling.maxTokens {
                    reasons[index] = .length
                    stoppedHere = true
                } else if let reason = choice.finishReason {
                    reasons[index] = reason == "length" ? .length : .stop
                }
            }
            // Every sequence ended and some were ended here: the upstream need not run any longer.
            if stoppedHere, !reasons.contains(nil) { break reading }
        }
        try Task.checkCancellation()
        for index in states.indices {
            guard let reason = reasons[index] else {
                throw RemoteError.malformedStream("the stream ended before sequence \(index) finished")
            }
            finish(&states[index], reason, promptTokens, states[index].sampled, 0)
        }
    }
}
