import Foundation
import PonderCore
@testable import PonderLlama
import PonderTesting
import Synchronization
import Testing

/// The engine under pressure, with the real model and small contexts: forced text that does not
/// fit, a full unified cache, and a failing `llama_decode`. In each case only the sequences
/// concerned end, and the engine goes on serving the others.
@Suite(.serialized) struct EnginePressureTests {
    /// Forces `text` in after `after` sampled tokens, at once or (`slow`) as a tool that takes a moment.
    final class Forcing: SequenceSteerer, @unchecked Sendable {
        let after: Int, text: String, slow: Bool
        init(after: Int, text: String, slow: Bool) {
            self.after = after
            self.text = text
            self.slow = slow
        }
        func observe(text _: String, sampledTokens: Int) -> SteeringDecision {
            guard sampledTokens == after else { return .proceed }
            guard slow else { return .inject(.plain(text)) }
            let text = self.text
            return .injectWhenReady(PendingInjection {
                try? await Task.sleep(for: .milliseconds(300))
                return text
            })
        }
    }

    final class Passive: SequenceSteerer, @unchecked Sendable {
        func observe(text _: String, sampledTokens _: Int) -> SteeringDecision { .proceed }
    }

    struct Outcome {
        var tokens: [Int: Int] = [:]
        var injected: [Int: Int] = [:]
        var finishes: [Int: SequenceFinish] = [:]
    }

    static func run(_ engine: LlamaEngine, _ request: GenerationRequest) async throws -> Outcome {
        var outcome = Outcome()
        for try await event in engine.generate(request, ignoreEndOfGeneration: true).stream {
            switch event {
            case .text(let delta):
                if delta.isInjected {
                    outcome.injected[delta.sequence, default: 0] += delta.tokens.count
                } else {
                    outcome.tokens[delta.sequence, default: 0] += delta.tokens.count
                }
            case .finished(let finish):
                outcome.finishes[finish.sequence] = finish
            }
        }
        return outcome
    }

    @Test func forcedTextThatDoesNotFitEndsOnlyItsSequence() async throws {
        let engine = TestEngine.make(contextLength: 256, maxSequences: 3)
        let context = engine.info.contextLength
        let long = String(repeating: " one two three", count: context)
        #expect(try engine.model.tokenize(long, addSpecial: false).count > context)
        var request = try GenerationRequest(prompt: .text("Once upon a time"), sampling: SamplingParameters(maxTokens: 40), count: 3)
        request.steering = SteeringFactory { index in
            switch index {
            case 0: Forcing(after: 3, text: long, slow: false)
            case 1: Forcing(after: 5, text: long, slow: true)
            default: Passive()
            }
        }
        let outcome = try await Self.run(engine, request)
        // Each forced text was checked against the context like sampled tokens: not decoded, and
        // its sequence ended at its length...
        #expect(outcome.finishes[0]?.reason == .length && outcome.finishes[0]?.usage.completionTokens == 3)
        #expect(outcome.finishes[1]?.reason == .length && outcome.finishes[1]?.usage.completionTokens == 5)
        #expect(outcome.injected[0] == nil && outcome.injected[1] == nil)
        #expect(outcome.finishes[0]?.usage.injectedTokens == 0 && outcome.finishes[1]?.usage.injectedTokens == 0)
        // ...while the third sequence of the same request went on to its own limit.
        #expect(outcome.finishes[2]?.reason == .length && outcome.finishes[2]?.usage.completionTokens == 40)
        #expect(await TestEngine.waitUntilIdle(engine).occupiedSlots == 0)
    }

    @Test func aFullUnifiedCacheEndsOnlyTheSequencesThatCannotBePlaced() async throws {
        // One cache of 256 cells for four sequences, whatever this run's matrix says.
        let configuration = try LlamaEngineConfiguration(modelPath: DefaultModel.path, contextLength: 256, maxSequences: 4,
                                                         threads: RealModelTestSettings.threads(), unifiedCache: true)
        let engine = try LlamaEngine(configuration: configuration)
        let cells = engine.info.contextLength
        let first = try GenerationRequest(prompt: .text("Once upon a time"), sampling: SamplingParameters(maxTokens: 100))
        let greedy = try GenerationRequest(prompt: .text("Long ago"), sampling: SamplingParameters(maxTokens: 5000), count: 3)
        // The first request is queued (and so admitted, and placed in each batch) before the other.
        let (firstStream, _) = engine.generate(first, ignoreEndOfGeneration: true)
        async let others = Self.run(engine, greedy)
        var firstFinish: SequenceFinish?
        for try await event in firstStream { if case .finished(let finish) = event { firstFinish = finish } }
        let greedyOutcome = try await others
        // Together they need far more cells than there are, but only sequences that could not be
        // placed ended early: the first request still reached its own limit of 100 tokens.
        #expect(4 * 100 > cells)
        #expect(firstFinish?.reason == .length && firstFinish?.usage.completionTokens == 100)
        for index in 0..<3 {
            let finish = try #require(greedyOutcome.finishes[index])
            #expect(finish.reason == .length && finish.usage.completionTokens < cells)
        }
        // The engine is still serving.
        let after = try await engine.complete(try GenerationRequest(prompt: .text("Hello"), sampling: SamplingParameters(maxTokens: 4)))
        #expect(after[0].finishReason != nil)
        #expect(await TestEngine.waitUntilIdle(engine).occupiedSlots == 0)
    }

    /// A flag shared between the test and the decode thread.
    final class Flag: Sendable {
        private let state = Mutex(false)
        var isSet: Bool { state.withLock { $0 } }
        func set() { state.withLock { $0 = true } }
    }

    /// Parks its sequence on a slow tool after 3 tokens, and says when it did.
    final class Parking: SequenceSteerer, @unchecked Sendable {
        let parked = Flag()
        let release = Flag()
        func observe(text _: String, sampledTokens: Int) -> SteeringDecision {
            guard sampledTokens == 3 else { return .proceed }
            parked.set()
            let release = self.release
            return .injectWhenReady(PendingInjection {
                while !release.isSet { try? await Task.sleep(for: .milliseconds(20)) }
                return " [tool result]"
            })
        }
    }

    @Test func aDecodeErrorFailsOnlyTheRequestsInThatBatch() async throws {
        let engine = TestEngine.make(contextLength: 512, maxSequences: 4)
        let parking = Parking()
        var waiting = try GenerationRequest(prompt: .text("Once upon a time"), sampling: SamplingParameters(maxTokens: 12))
        waiting.steering = SteeringFactory { _ in parking }
        let doomed = try GenerationRequest(prompt: .text("Long ago"), sampling: SamplingParameters(maxTokens: 400), count: 2)

        let waitingTask = Task { try await Self.run(engine, waiting) }
        let doomedTask = Task { try await Self.run(engine, doomed) }
        let deadline = Date().addingTimeInterval(60)
        while !parking.parked.isSet, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let parked = parking.parked.isSet
        try #require(parked, "the tool never parked its sequence")
        // The next batch holds only the doomed request's two sequences; llama_decode rejects it.
        engine.failNextDecode()
        let doomedResult = await doomedTask.result
        #expect {
            _ = try doomedResult.get()
        } throws: { error in
            guard case LlamaError.callFailed(let call, let code, _) = error else { return false }
            return call == "llama_decode" && code == -1
        }
        // The request that was waiting for its tool was not in that batch: it goes on.
        parking.release.set()
        let survivor = try await waitingTask.value
        #expect(survivor.finishes[0]?.reason == .length && survivor.finishes[0]?.usage.completionTokens == 12)
        #expect((survivor.injected[0] ?? 0) > 0)
        // And the engine keeps serving new requests.
        let after = try await engine.complete(try GenerationRequest(prompt: .text("Hello"), sampling: SamplingParameters(maxTokens: 4)))
        #expect(after.count == 1)
        #expect(await TestEngine.waitUntilIdle(engine).occupiedSlots == 0)
    }
}
