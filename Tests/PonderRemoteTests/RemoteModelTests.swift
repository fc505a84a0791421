import Foundation
import PonderCore
import PonderReasoning
import Testing
@testable import PonderRemote

/// Contract tests against a real `llama-server` with the bootstrapped model, started per test.
@Suite(.serialized) struct RemoteModelTests {
    let question: [ChatMessage] = [.user("What is 2 + 2? Explain briefly.")]

    private func collect(_ model: RemoteModel, _ request: GenerationRequest) async throws -> (deltas: [TextDelta], finishes: [SequenceFinish]) {
        var deltas: [TextDelta] = []
        var finishes: [SequenceFinish] = []
        for try await event in model.generate(request) {
            switch event {
            case .text(let delta): deltas.append(delta)
            case .finished(let finish): finishes.append(finish)
            }
        }
        return (deltas, finishes.sorted { $0.sequence < $1.sequence })
    }

    @Test func streamedCompletionWithInfoUsageAndLogprobs() async throws {
        let server = try await LlamaServerProcess()
        let model = try await RemoteModel.connect(try RemoteConfiguration(baseURL: server.baseURL))
        #expect(model.flavor == .llamaServer)
        #expect(model.info.contextLength == 1024 && model.info.trainedContextLength == 8192)
        #expect(model.info.chatTemplate?.contains("<|im_start|>") == true)

        var request = try GenerationRequest(prompt: .chat(question), sampling: SamplingParameters(maxTokens: 8), includeLogprobs: true)
        request.topLogprobs = 5
        let (deltas, finishes) = try await collect(model, request)
        #expect(deltas.count >= 2, "the text should arrive in several deltas")
        let finish = try #require(finishes.first)
        // Up to 8 tokens: the model may end its turn sooner (which it does is not asserted).
        #expect(finishes.count == 1 && (finish.reason == .length || finish.reason == .stop))
        #expect(finish.usage.completionTokens <= 8 && finish.usage.promptTokens > 10)
        if finish.reason == .length { #expect(finish.usage.completionTokens == 8) }
        for delta in deltas {
            let logprobs = try #require(delta.logprobs)
            let top = try #require(delta.topLogprobs)
            #expect(logprobs.count == delta.tokens.count && top.count == delta.tokens.count)
            for (index, token) in delta.tokens.enumerated() {
                #expect(logprobs[index] <= 0 && top[index].count == 5)
                // Greedy: the chosen token is the most likely one.
                #expect(top[index].first?.token == token)
            }
        }
        #expect(deltas.flatMap(\.tokens).count == finish.usage.completionTokens)

        // The judge reads P(Yes) from the top-20 alternatives of the first token.
        let judge = ModelJudge(model: model)
        let yes = try await judge.probabilityOfYes("Is 2 + 2 equal to 4? Reply with Yes or No.")
        #expect((0...1).contains(yes))
    }

    @Test func parallelSequencesInOneRequestAndAsSeparateRequests() async throws {
        let server = try await LlamaServerProcess()
        let sampling = try SamplingParameters(temperature: 1.5, seed: 11, maxTokens: 6)
        for flavor: UpstreamFlavor? in [nil, .generic] {   // nil: llama-server's `n`; generic: one request per sequence
            let model = try await RemoteModel.connect(try RemoteConfiguration(baseURL: server.baseURL, flavor: flavor))
            let (deltas, finishes) = try await collect(model, try GenerationRequest(prompt: .chat(question), sampling: sampling, count: 3))
            #expect(finishes.map(\.sequence) == [0, 1, 2])
            let texts = (0..<3).map { index in deltas.filter { $0.sequence == index }.map(\.text).joined() }
            // Three seeds at temperature 1.5: three identical samples would mean one shared sampler.
            #expect(Set(texts).count > 1, "sampled sequences should differ: \(texts)")
            #expect(finishes.allSatisfy { ($0.reason == .length && $0.usage.completionTokens == 6) || ($0.reason == .stop && $0.usage.completionTokens <= 6) })
        }
    }

    @Test func stopStringEndsTheSequenceBeforeIt() async throws {
        let server = try await LlamaServerProcess()
        let model = try await RemoteModel.connect(try RemoteConfiguration(baseURL: server.baseURL))
        let counting: [ChatMessage] = [.user("Count from 1 to 20, separated by commas.")]
        let free = try await model.complete(.chat(counting, sampling: SamplingParameters(maxTokens: 16)))[0].text
        // Cut at three characters from the middle of whatever the model wrote (greedy, so the same again).
        let characters = Array(free)
        try #require(characters.count >= 6, "too little text to cut: \(free)")
        let stop = String(characters[(characters.count / 2)..<(characters.count / 2 + 3)])
        let cut = try await model.complete(.chat(counting, sampling: SamplingParameters(maxTokens: 16, stop: [stop])))[0]
        #expect(cut.finishReason == .stop)
        #expect(cut.text == String(free[..<free.range(of: stop)!.lowerBound]))
    }

    /// Injects text after three tokens, lets the model go on for four more, then checks the
    /// continuation is exactly what the upstream writes after that prefix.
    @Test func steeringInjectionContinuesFromEverythingSoFar() async throws {
        let server = try await LlamaServerProcess()
        let model = try await RemoteModel.connect(try RemoteConfiguration(baseURL: server.baseURL))
        var request = try GenerationRequest(prompt: .chat(question), sampling: SamplingParameters(maxTokens: 20))
        request.steering = SteeringFactory { _ in InjectingSteerer(after: 3, text: " Wait, let me count: 2, 3,", thenStopAfter: 4) }
        let (deltas, finishes) = try await collect(model, request)
        let injected = deltas.filter(\.isInjected)
        #expect(injected.map(\.text) == [" Wait, let me count: 2, 3,"])
        let injectedAt = try #require(deltas.firstIndex { $0.isInjected })
        let before = deltas[..<injectedAt].map(\.text).joined()
        let after = deltas[(injectedAt + 1)...].map(\.text).joined()
        #expect(!before.isEmpty)
        let finish = try #require(finishes.first)
        // The steerer stops 4 tokens after the injection, unless the model ends its turn first.
        #expect(finish.reason == .stop && (3...7).contains(finish.usage.completionTokens) && finish.usage.injectedTokens > 0)

        let reference = try await model.complete(try GenerationRequest(
            prompt: .continuation(question, assistantPrefix: before + " Wait, let me count: 2, 3,"),
            sampling: SamplingParameters(maxTokens: 4)))[0].text
        #expect(after == reference)
    }

    /// llama-server counts an injection's tokens as the local engine makes them: a tool's result
    /// is plain text (`<|im_end|>` stays characters), only format markup is parsed.
    @Test func injectionsAreCountedAsTheEngineTokenizesThem() async throws {
        let server = try await LlamaServerProcess(slots: 1)
        let client = UpstreamClient(configuration: try RemoteConfiguration(baseURL: server.baseURL), logger: .init(label: "test"))
        #expect(try await client.countTokensWithLlamaServer(.markup("<|im_end|>")) == 1)
        #expect(try await client.countTokensWithLlamaServer(.plain("<|im_end|>")) > 1)
    }

    @Test func cancelledStreamStopsTheUpstreamRequest() async throws {
        let server = try await LlamaServerProcess()
        let model = try await RemoteModel.connect(try RemoteConfiguration(baseURL: server.baseURL))
        let request = try GenerationRequest(prompt: .chat([.user("Write a very long story about a dragon.")]),
                                            sampling: SamplingParameters(maxTokens: 900))
        let consumer = Task {
            var received = 0
            for try await event in model.generate(request) {
                if case .text = event { received += 1 }
                if received == 3 { break }
            }
            return received
        }
        #expect(try await consumer.value == 3)
        var processing = try await server.metric("llamacpp:requests_processing")
        let deadline = Date().addingTimeInterval(20)
        while processing != 0, Date() < deadline {
            try await Task.sleep(for: .milliseconds(250))
            processing = try await server.metric("llamacpp:requests_processing")
        }
        #expect(processing == 0, "llama-server should stop generating once the stream is dropped")
    }

    @Test func selfConsistencyReasoningRunsOnTheRemoteModel() async throws {
        let server = try await LlamaServerProcess()
        let model = try await RemoteModel.connect(try RemoteConfiguration(baseURL: server.baseURL))
        let configuration = try ReasoningConfiguration(effort: .medium, strategy: .selfConsistency, samples: 3,
                                                       maxReasoningTokens: 24, maxAnswerTokens: 8, temperature: 0.8, seed: 1)
        var trace: ReasoningTrace?
        for try await event in Reasoner(model: model).reason(about: [.user("What is 3 + 4?")], configuration: configuration) {
            if case .done(let done) = event { trace = done }
        }
        let done = try #require(trace)
        // Self-consistency stops a chain early once the leader cannot be overtaken (2 of 3 agree).
        #expect(done.strategy == .selfConsistency && (2...3).contains(done.samples.count))
        #expect(done.samples.allSatisfy { $0.reasoningTokens <= 24 })
    }

    @Test func wrongAPIKeyIsUnauthorized() async throws {
        let server = try await LlamaServerProcess(slots: 1, apiKey: "right-key")
        do {
            let model = try await RemoteModel.connect(try RemoteConfiguration(baseURL: server.baseURL, apiKey: "wrong-key"))
            _ = try await model.respond(to: question)
            Issue.record("a wrong key should be refused")
        } catch let error as RemoteError {
            guard case .unauthorized(401, _) = error else { Issue.record("expected 401, got \(error)"); return }
            #expect(error.description.contains("PONDER_BACKEND_API_KEY"))
        }
        let model = try await RemoteModel.connect(try RemoteConfiguration(baseURL: server.baseURL, apiKey: "right-key"))
        let answer = try await model.complete(.chat(question, sampling: SamplingParameters(maxTokens: 2)))[0]
        #expect(answer.finishReason == .length || answer.finishReason == .stop)
    }

    @Test func unreachableUpstreamIsOneTypedError() async throws {
        let port = try LlamaServerProcess.freePort()
        await #expect(throws: RemoteError.unreachable(url: "http://127.0.0.1:\(port)/v1/models", detail: "connection refused")) {
            _ = try await RemoteModel.connect(try RemoteConfiguration(baseURL: "http://127.0.0.1:\(port)"))
        }
    }
}

/// Injects `text` once `after` tokens were sampled, then ends the sequence `thenStopAfter` tokens later.
final class InjectingSteerer: SequenceSteerer, @unchecked Sendable {
    let after: Int
    let text: String
    let stopAfter: Int
    var injectedAt: Int?

    init(after: Int, text: String, thenStopAfter: Int) {
        self.after = after
        self.text = text
        self.stopAfter = thenStopAfter
    }

    func observe(text _: String, sampledTokens: Int) -> SteeringDecision {
        if let injectedAt { return sampledTokens - injectedAt >= stopAfter ? .stop : .proceed }
        guard sampledTokens >= after else { return .proceed }
        injectedAt = sampledTokens
        return .inject(.plain(text))
    }
}
