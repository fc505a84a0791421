import Foundation
import PonderCore
import PonderLlama
import PonderReasoning
import PonderTesting
import Testing

/// The reasoning layer over the real embedded model. What the model answers is never asserted
/// (it differs between CPUs): only what the reasoning layer does with it.
@Suite(.serialized) struct ReasoningOnRealModelTests {
    static let engine: LlamaEngine = {
        do {
            return try LlamaEngine(configuration: LlamaEngineConfiguration(
                modelPath: DefaultModel.path, contextLength: 2048, maxSequences: 8,
                threads: RealModelTestSettings.threads(), unifiedCache: RealModelTestSettings.unifiedCache))
        } catch {
            fatalError("the integration tests need the default model; run scripts/bootstrap first (\(error))")
        }
    }()

    var reasoner: Reasoner { Reasoner(model: Self.engine) }

    @Test(arguments: Effort.allCases)
    func everyEffortAnswersWithHiddenReasoningAndSummaries(effort: Effort) async throws {
        let configuration = try ReasoningConfiguration(effort: effort, maxReasoningTokens: 48, maxAnswerTokens: 24, seed: 1)
        let trace = try await reasoner.answer("What is 12 + 7?", configuration: configuration)
        #expect(!trace.summaries.isEmpty)
        #expect(trace.effort == effort)
        if effort == .none {
            #expect(trace.strategy == .direct && trace.samples.isEmpty && trace.usage.reasoningTokens == 0)
        } else {
            #expect(!trace.samples.isEmpty)
            #expect(trace.usage.reasoningTokens >= trace.samples.map(\.reasoningTokens).reduce(0, +))
            for chain in trace.samples {
                #expect(chain.reasoningTokens <= 48)
                // The hidden reasoning is not part of the answer shown.
                if chain.reasoning.count > 20 { #expect(!trace.answer.contains(chain.reasoning)) }
            }
        }
    }

    @Test func aBudgetOfSixteenReasoningTokensIsHonouredExactly() async throws {
        let configuration = try ReasoningConfiguration(effort: .low, strategy: .cot, maxReasoningTokens: 16, seed: 2)
        let trace = try await reasoner.answer(
            "A farmer has 17 sheep and buys 25 more, then sells 12. How many sheep does he have now? Explain every step.",
            configuration: configuration)
        let chain = try #require(trace.samples.first)
        #expect(chain.reasoningTokens <= 16)
        // Forced because the budget ran out: exactly 16 tokens were spent. Otherwise the model
        // closed its reasoning itself (or tried to end, and the marker was forced in then).
        if chain.budgetForced && !chain.forcedAtEnd { #expect(chain.reasoningTokens == 16) }
        #expect(trace.usage.reasoningTokens == chain.reasoningTokens)
    }

    @Test func selfConsistencyRunsItsChainsInOneBatch() async throws {
        let configuration = try ReasoningConfiguration(effort: .medium, strategy: .selfConsistency, samples: 4, maxReasoningTokens: 64, seed: 3)
        let trace = try await reasoner.answer("What is 23 + 45?", configuration: configuration)
        #expect((1...4).contains(trace.samples.count))
        #expect(trace.votes.values.reduce(0, +) <= trace.samples.count)
        let status = await waitUntilIdle()
        #expect(status.occupiedSlots == 0)
    }

    @Test func cancellationMidReasoningReturnsPromptly() async throws {
        let configuration = try ReasoningConfiguration(effort: .high, maxReasoningTokens: 2000, seed: 4)
        let task = Task {
            var summaries = 0
            for try await event in reasoner.reason(about: [.user("Write a long essay on the history of numbers.")], configuration: configuration) {
                if case .summary = event { summaries += 1 }
            }
            return summaries
        }
        try await Task.sleep(for: .seconds(2))
        let cancelledAt = Date()
        task.cancel()
        _ = await task.result
        #expect(Date().timeIntervalSince(cancelledAt) < 3.0)   // generous: other suites share the two cores
        let status = await waitUntilIdle()
        #expect(status.activeSequences == 0 && status.occupiedSlots == 0)
    }

    @Test func everySampledTokenOfAChainGetsAConfidenceAndTheTraceItsMeasures() async throws {
        let configuration = try ReasoningConfiguration(effort: .medium, samples: 3, maxReasoningTokens: 40, maxAnswerTokens: 12, seed: 2)
        var request = try GenerationRequest.chat([.user("What is 3 + 5?")], sampling: SamplingParameters(temperature: 0.7, seed: 1, maxTokens: 24), count: 2)
        request.confidenceTopK = 5
        var sampled = [0, 0], measured = [0, 0]
        for try await event in Self.engine.generate(request) {
            guard case .text(let delta) = event, !delta.isInjected else { continue }
            sampled[delta.sequence] += delta.tokens.count
            let values = try #require(delta.confidences)
            #expect(values.count == delta.tokens.count)
            #expect(values.allSatisfy { $0.isFinite && $0 > 0 })   // −mean of log-probabilities below 0
            measured[delta.sequence] += values.count
        }
        #expect(sampled == measured && sampled.allSatisfy { $0 > 0 })
        let trace = try await reasoner.answer("What is 3 + 5?", configuration: configuration)
        for chain in trace.samples {
            let confidence = try #require(chain.confidence)
            #expect(confidence.lowestGroup <= confidence.mean + 1e-9)
            #expect(confidence.tokens == chain.reasoningTokens + chain.answerTokens)
        }
    }

    @Test func earlyStopEndsChainsAtTheFirstWeakGroupAndFreesTheirCells() async throws {
        // A bar no chain can clear: every chain after the warm-up stops once its first group of 8 is in.
        let settings = try ConfidenceSettings(window: 8, earlyStop: true, threshold: 1_000_000)
        let configuration = try ReasoningConfiguration(effort: .medium, strategy: .confidentVote, samples: 4,
                                                       maxReasoningTokens: 64, seed: 3, confidence: settings)
        let trace = try await reasoner.answer("What is 17 + 25?", configuration: configuration)
        #expect(trace.samples.count == 4)
        for chain in trace.samples {
            #expect(chain.stoppedLowConfidence == true)
            #expect(chain.reasoningTokens + chain.answerTokens == 8)
        }
        let status = await waitUntilIdle()
        #expect(status.activeSequences == 0 && status.occupiedSlots == 0)
    }

    func waitUntilIdle() async -> EngineLoad {
        let deadline = Date().addingTimeInterval(5)
        var status = Self.engine.status
        while Date() < deadline {
            status = Self.engine.status
            if status.activeSequences == 0, status.occupiedSlots == 0, status.queuedRequests == 0 { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return status
    }
}
