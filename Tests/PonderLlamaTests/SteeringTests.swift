import Foundation
import PonderCore
@testable import PonderLlama
import PonderTesting
import Synchronization
import Testing

/// A steerer that injects text once, after a given number of sampled tokens, and can stop later.
final class ScriptedSteerer: SequenceSteerer {
    let injectAfter: Int
    let text: String
    let stopAfter: Int?
    init(injectAfter: Int, text: String, stopAfter: Int? = nil) {
        self.injectAfter = injectAfter
        self.text = text
        self.stopAfter = stopAfter
    }

    func observe(text _: String, sampledTokens: Int) -> SteeringDecision {
        if let stopAfter, sampledTokens >= stopAfter { return .stop }
        return sampledTokens == injectAfter ? .inject(.plain(text)) : .proceed
    }
}

@Suite(.serialized) struct SteeringTests {
    let engine = TestEngine.shared

    /// Collects, per sequence, the ordered deltas. The end-of-generation token is ignored, so a
    /// sequence runs until its limit or its steerer whatever the model writes.
    func deltas(_ request: GenerationRequest) async throws -> ([Int: [TextDelta]], [Int: SequenceFinish]) {
        var deltas: [Int: [TextDelta]] = [:]
        var finishes: [Int: SequenceFinish] = [:]
        for try await event in engine.generate(request, ignoreEndOfGeneration: true).stream {
            switch event {
            case .text(let delta): deltas[delta.sequence, default: []].append(delta)
            case .finished(let finish): finishes[finish.sequence] = finish
            }
        }
        return (deltas, finishes)
    }

    @Test func injectionLandsRightAfterTheTriggeringTokenInEverySequence() async throws {
        var request = try GenerationRequest(prompt: .text("Once upon a time"),
                                            sampling: SamplingParameters(temperature: 0.9, seed: 11, maxTokens: 12), count: 3)
        request.steering = SteeringFactory { index in ScriptedSteerer(injectAfter: index + 2, text: " [=68]") }
        let (deltas, finishes) = try await deltas(request)
        let injectedTokens = try engine.model.tokenize(" [=68]", addSpecial: false)
        for index in 0..<3 {
            let list = try #require(deltas[index])
            let position = try #require(list.firstIndex { $0.isInjected })
            // Exactly index + 2 sampled tokens came before the injection.
            #expect(list[..<position].reduce(0) { $0 + $1.tokens.count } == index + 2)
            #expect(list[position].text == " [=68]")
            #expect(list[position].tokens == injectedTokens)
            #expect(list.filter(\.isInjected).count == 1)
            let finish = try #require(finishes[index])
            #expect(finish.usage.injectedTokens == injectedTokens.count)
            #expect(finish.usage.completionTokens == list.filter { !$0.isInjected }.reduce(0) { $0 + $1.tokens.count })
        }
    }

    @Test func injectedTokensAreDecodedIntoTheSequence() async throws {
        let prompt = try engine.model.tokenize("The capital of France is Paris. The capital of Italy is")
        let injected = " Rome. The capital of Spain is"
        var steered = try GenerationRequest(prompt: .tokens(prompt), sampling: SamplingParameters(maxTokens: 8))
        steered.steering = SteeringFactory { _ in ScriptedSteerer(injectAfter: 1, text: injected) }
        let (runDeltas, _) = try await deltas(steered)
        let run = runDeltas[0] ?? []
        let runTokens = run.flatMap(\.tokens)
        // The same context given as a prompt must continue the same way (greedy). The steered run
        // decoded the injection as one step, the direct run as part of its prompt: the sums
        // differ, so the two may part only at a near tie.
        let firstToken = Array(runTokens.prefix(1))
        let injectedTokens = try engine.model.tokenize(injected, addSpecial: false)
        #expect(Array(runTokens.dropFirst().prefix(injectedTokens.count)) == injectedTokens)
        var direct = try GenerationRequest(prompt: .tokens(prompt + firstToken + injectedTokens), sampling: SamplingParameters(maxTokens: 4))
        direct.topLogprobs = 5
        let (directDeltas, _) = try await deltas(direct)
        let directTokens = directDeltas[0]?.flatMap(\.tokens) ?? []
        let directTop = directDeltas[0]?.flatMap { $0.topLogprobs ?? [] } ?? []
        let afterInjection = Array(runTokens.dropFirst(1 + injectedTokens.count))
        #expect(afterInjection.count >= 3 && directTokens.count == 4)
        let mismatch = GreedyAgreement.mismatch(reference: directTokens, referenceTop: directTop, other: Array(afterInjection.prefix(3)))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func stopDecisionEndsTheSequence() async throws {
        var request = try GenerationRequest(prompt: .text("Once upon a time"), sampling: SamplingParameters(maxTokens: 50))
        request.steering = SteeringFactory { _ in ScriptedSteerer(injectAfter: -1, text: "", stopAfter: 6) }
        let (_, finishes) = try await deltas(request)
        let finish = try #require(finishes[0])
        #expect(finish.reason == .stop)
        #expect(finish.usage.completionTokens == 6)
    }

    @Test func topLogprobsAreSortedAndIncludeTheGreedyChoice() async throws {
        var request = try GenerationRequest.chat([.user("Is the sky blue? Answer Yes or No.")], sampling: SamplingParameters(maxTokens: 3))
        request.topLogprobs = 5
        for try await event in engine.generate(request) {
            guard case .text(let delta) = event, let top = delta.topLogprobs else { continue }
            #expect(top.count == delta.tokens.count)
            for (token, alternatives) in zip(delta.tokens, top) {
                #expect(alternatives.count == 5)
                #expect(alternatives.map(\.logprob) == alternatives.map(\.logprob).sorted(by: >))
                #expect(alternatives.first?.token == token)   // greedy picks the most likely
            }
        }
    }
}
