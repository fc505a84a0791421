import Foundation
import PonderCore
@testable import PonderLlama
import PonderTesting
import Testing

/// Generation against the real embedded model. Its own engine and serialized, so the batch
/// composition cannot vary between the runs a determinism test compares. Which tokens the model
/// picks is never asserted (it differs between CPUs): only what the engine does with them.
@Suite(.serialized) struct GenerationTests {
    static let ownEngine = TestEngine.make(contextLength: 2048)
    let engine = GenerationTests.ownEngine
    let question: [ChatMessage] = [.user("Name three colors of the rainbow.")]

    @Test func greedyOutputIsStable() async throws {
        let request = try GenerationRequest.chat(question, sampling: SamplingParameters(maxTokens: 40))
        let first = try await engine.complete(request)[0]
        let second = try await engine.complete(request)[0]
        #expect(!first.text.isEmpty)
        #expect(first.text == second.text)
        #expect(first.tokens == second.tokens)
    }

    @Test func sameSeedSameSampleDifferentSeedDifferentSample() async throws {
        func sample(seed: UInt32) async throws -> String {
            let sampling = try SamplingParameters(temperature: 1.0, seed: seed, maxTokens: 40)
            return try await engine.complete(.chat(question, sampling: sampling))[0].text
        }
        let a = try await sample(seed: 7)
        let b = try await sample(seed: 7)
        #expect(a == b)
        var others: Set<String> = []
        for seed: UInt32 in [8, 9, 10] { others.insert(try await sample(seed: seed)) }
        #expect(others.contains { $0 != a })
    }

    @Test func fourParallelSamplesAreDistinctAndReproducible() async throws {
        let sampling = try SamplingParameters(temperature: 0.9, seed: 42, maxTokens: 32)
        let request = try GenerationRequest.chat([.user("Write a short sentence about the sea.")], sampling: sampling, count: 4)
        let completions = try await engine.complete(request)
        #expect(completions.count == 4)
        // Each sequence has its own seed (seed + index): four identical samples of 32 tokens at
        // temperature 0.9 would mean they share one sampler.
        #expect(Set(completions.map(\.tokens)).count > 1)
        let promptTokens = try engine.promptTokens(for: request.prompt).count
        for completion in completions {
            #expect(completion.usage.promptTokens == promptTokens)
            #expect(completion.usage.completionTokens == completion.tokens.count)
            #expect(completion.finishReason != .cancelled)
        }
        // Parallel samples are reproducible too.
        #expect(try await engine.complete(request).map(\.tokens) == completions.map(\.tokens))
    }

    @Test func parallelGreedySamplesMatchASingleGreedyRun() async throws {
        var single = try GenerationRequest.chat(question, sampling: SamplingParameters(maxTokens: 24))
        single.topLogprobs = 5
        let alone = try await steps(of: single)
        var parallel = try GenerationRequest.chat(question, sampling: SamplingParameters(maxTokens: 24), count: 3)
        parallel.topLogprobs = 5
        let together = try await stepsPerSequence(of: parallel)
        // Shared-prompt decoding must not change what each sequence sees. The first token comes
        // from the very same prompt logits; after it, one sequence alone and three in one batch
        // sum differently, so they may part only at a near tie.
        for sequence in 0..<3 {
            let tokens = together[sequence]?.tokens ?? []
            #expect(tokens.first == alone.tokens.first)
            let mismatch = GreedyAgreement.mismatch(reference: alone.tokens, referenceTop: alone.top, other: tokens)
            #expect(mismatch == nil, "sequence \(sequence): \(mismatch ?? "")")
        }
    }

    /// Tokens and top log-probabilities of a one-sequence request.
    func steps(of request: GenerationRequest) async throws -> (tokens: [Int32], top: [[TokenLogprob]]) {
        try await stepsPerSequence(of: request)[0] ?? ([], [])
    }

    func stepsPerSequence(of request: GenerationRequest) async throws -> [Int: (tokens: [Int32], top: [[TokenLogprob]])] {
        var result: [Int: (tokens: [Int32], top: [[TokenLogprob]])] = [:]
        for try await event in engine.generate(request) {
            guard case .text(let delta) = event else { continue }
            result[delta.sequence, default: ([], [])].tokens += delta.tokens
            result[delta.sequence, default: ([], [])].top += delta.topLogprobs ?? []
        }
        return result
    }

    @Test func stopSequenceIsHonoured() async throws {
        // The end-of-turn token is ignored, so the text is long enough to cut whatever the model writes.
        let sampling = try SamplingParameters(maxTokens: 60)
        let prompt = Prompt.chat([.user("Count from 1 to 20, separated by commas.")])
        let full = try await completeIgnoringEnd(try GenerationRequest(prompt: prompt, sampling: sampling))
        // Pick a stop string from the middle of the greedy output, spanning several tokens.
        let characters = Array(full.text)
        try #require(characters.count > 20, "60 tokens gave only: \(full.text)")
        let stop = String(characters[10..<16])
        let expected = String(full.text[..<full.text.range(of: stop)!.lowerBound])
        let stopped = try await completeIgnoringEnd(try GenerationRequest(prompt: prompt, sampling: sampling.with(stop: [stop])))
        #expect(stopped.text == expected)
        #expect(stopped.reason == .stop)
        #expect(!stopped.text.contains(stop))
    }

    @Test func maxTokensEndsWithLength() async throws {
        let request = try GenerationRequest.chat([.user("Tell me a long story about a dragon.")], sampling: SamplingParameters(maxTokens: 5))
        let completion = try await completeIgnoringEnd(request)
        #expect(completion.reason == .length)
        #expect(completion.usage.completionTokens == 5)
        #expect(completion.tokens.count == 5)
    }

    /// One sequence run past any end-of-generation token (so the model cannot end it early).
    func completeIgnoringEnd(_ request: GenerationRequest) async throws -> (text: String, tokens: [Int32], reason: FinishReason?, usage: Usage) {
        var text = "", tokens: [Int32] = [], reason: FinishReason?, usage = Usage()
        for try await event in engine.generate(request, ignoreEndOfGeneration: true).stream {
            switch event {
            case .text(let delta):
                text += delta.text
                tokens += delta.tokens
            case .finished(let finish):
                reason = finish.reason
                usage = finish.usage
            }
        }
        return (text, tokens, reason, usage)
    }

    @Test func streamedDeltasConcatenateToTheDetokenizedTokens() async throws {
        let sampling = try SamplingParameters(temperature: 0.8, seed: 3, maxTokens: 48)
        let completion = try await engine.complete(.chat([.user("Say hello in Chinese, Japanese and with an emoji.")], sampling: sampling))[0]
        #expect(completion.text == engine.model.detokenize(completion.tokens))
    }

    @Test func logprobsAreReportedPerToken() async throws {
        var request = try GenerationRequest.chat(question, sampling: SamplingParameters(maxTokens: 10))
        request.includeLogprobs = true
        var tokens = 0
        var logprobs: [Double] = []
        for try await event in engine.generate(request) {
            if case .text(let delta) = event {
                tokens += delta.tokens.count
                logprobs += delta.logprobs ?? []
            }
        }
        #expect(logprobs.count == tokens)
        #expect(logprobs.allSatisfy { $0.isFinite && $0 <= 0 })
    }

    @Test func concurrentRequestsShareTheDecodeLoop() async throws {
        let sampling = try SamplingParameters(maxTokens: 20)
        async let a = engine.complete(.chat([.user("What is the capital of France?")], sampling: sampling))
        async let b = engine.complete(.chat([.user("Name a fruit.")], sampling: sampling, count: 2))
        let (first, second) = try await (a, b)
        #expect(first.count == 1 && second.count == 2)
        for completion in first + second {
            #expect(completion.finishReason == .stop || completion.finishReason == .length)
            #expect(completion.usage.completionTokens == completion.tokens.count && completion.tokens.count <= 20)
        }
        #expect(await TestEngine.waitUntilIdle(engine).occupiedSlots == 0)
    }
}
