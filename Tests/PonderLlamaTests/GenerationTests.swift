import Foundation
import PonderCore
@testable import PonderLlama
import Testing

/// Generation against the real embedded model. Serialized so batch composition cannot vary
/// between the runs a determinism test compares.
@Suite(.serialized) struct GenerationTests {
    let engine = TestEngine.shared
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

    @Test func fourParallelSamplesAreDistinct() async throws {
        let sampling = try SamplingParameters(temperature: 0.9, seed: 42, maxTokens: 32)
        let request = try GenerationRequest.chat([.user("Write a short sentence about the sea.")], sampling: sampling, count: 4)
        let completions = try await engine.complete(request)
        #expect(completions.count == 4)
        #expect(Set(completions.map(\.text)).count == 4)
        let promptTokens = try engine.promptTokens(for: request.prompt).count
        for completion in completions {
            #expect(completion.usage.promptTokens == promptTokens)
            #expect(completion.usage.completionTokens == completion.tokens.count)
            #expect(completion.finishReason != .cancelled)
        }
        // Parallel samples are reproducible too.
        #expect(try await engine.complete(request).map(\.text) == completions.map(\.text))
    }

    @Test func parallelGreedySamplesMatchASingleGreedyRun() async throws {
        let sampling = try SamplingParameters(maxTokens: 24)
        let single = try await engine.complete(.chat(question, sampling: sampling))[0]
        let parallel = try await engine.complete(.chat(question, sampling: sampling, count: 3))
        // Shared-prompt decoding must not change what each sequence sees: the first tokens agree.
        for completion in parallel { #expect(completion.tokens.prefix(8) == single.tokens.prefix(8)) }
    }

    @Test func stopSequenceIsHonoured() async throws {
        let sampling = try SamplingParameters(maxTokens: 60)
        let full = try await engine.complete(.chat([.user("Count from 1 to 20, separated by commas.")], sampling: sampling))[0]
        // Pick a stop string from the middle of the greedy output, spanning several tokens.
        let characters = Array(full.text)
        try #require(characters.count > 20, "greedy output too short: \(full.text)")
        let stop = String(characters[10..<16])
        let expected = String(full.text[..<full.text.range(of: stop)!.lowerBound])
        let stopped = try await engine.complete(.chat([.user("Count from 1 to 20, separated by commas.")],
                                                      sampling: sampling.with(stop: [stop])))[0]
        #expect(stopped.text == expected)
        #expect(stopped.finishReason == .stop)
        #expect(!stopped.text.contains(stop))
    }

    @Test func maxTokensEndsWithLength() async throws {
        let sampling = try SamplingParameters(maxTokens: 5)
        let completion = try await engine.complete(.chat([.user("Tell me a long story about a dragon.")], sampling: sampling))[0]
        #expect(completion.finishReason == .length)
        #expect(completion.usage.completionTokens == 5)
        #expect(completion.tokens.count == 5)
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
        #expect(!first[0].text.isEmpty && second.allSatisfy { !$0.text.isEmpty })
        #expect(await TestEngine.waitUntilIdle(engine).occupiedSlots == 0)
    }
}
