import Foundation
import PonderCore
@testable import PonderReasoning
import PonderTesting
import Testing

/// DeepConf's measures from known token confidences, and confident-vote's weighting, filtering
/// and early termination on a scripted model whose chains have scripted confidences.
@Suite struct ConfidenceTests {
    @Test func measuresFromKnownTokenConfidences() throws {
        // Groups of 2 over [4, 2, 6, 1, 5]: 3, 4, 3.5, 3 → lowest 3; mean 3.6; tail of 2: 3.
        let measures = try #require(ChainConfidence(tokenConfidences: [4, 2, 6, 1, 5], window: 2, tail: 2))
        #expect(measures.tokens == 5)
        #expect(measures.mean == 3.6)
        #expect(measures.lowestGroup == 3)
        #expect(measures.tail == 3)
        // A chain shorter than the window: its one group is the whole chain.
        let short = try #require(ChainConfidence(tokenConfidences: [2, 4], window: 64, tail: 32))
        #expect(short.lowestGroup == 3 && short.tail == 3 && short.mean == 3)
        #expect(ChainConfidence(tokenConfidences: [], window: 4, tail: 4) == nil)
        // Non-finite values count as no confidence rather than poisoning the sums.
        let odd = try #require(ChainConfidence(tokenConfidences: [.nan, 2], window: 1, tail: 1))
        #expect(odd.lowestGroup == 0 && odd.mean == 1)
    }

    @Test func theRunningMeterMatchesTheBatchMeasures() {
        var meter = ConfidenceMeter(window: 3)
        let values = [5.0, 1, 3, 8, 2, 2, 9]
        var lows: [Double] = []
        for value in values {
            meter.append(value)
            if let low = meter.lowestFullGroup { lows.append(low) }
        }
        #expect(meter.count == 7 && meter.hasFullGroup)
        #expect(meter.currentGroup == 13.0 / 3)
        #expect(lows.last == 3)   // groups 3, 4, 13/3, 4, 13/3 → lowest 3
        #expect(abs((meter.mean ?? 0) - 30.0 / 7) < 1e-12)
    }

    @Test func percentilesInterpolate() {
        #expect(Quantile.of([1, 2, 3, 4, 5], 0.5) == 3)
        #expect(Quantile.of([4, 2], 0.9) == 3.8)
        #expect(Quantile.of([7], 0.1) == 7)
        #expect(Quantile.of([], 0.5) == nil)
    }

    @Test func settingsOutOfRangeAreRefused() throws {
        #expect(throws: ReasoningError.self) { try ConfidenceSettings(keepFraction: 0) }
        #expect(throws: ReasoningError.self) { try ConfidenceSettings(keepFraction: 1.5) }
        #expect(throws: ReasoningError.self) { try ConfidenceSettings(topK: 21) }
        #expect(throws: ReasoningError.self) { try ConfidenceSettings(window: 0) }
        #expect(throws: ReasoningError.self) { try ConfidenceSettings(threshold: .infinity) }
        #expect(throws: ReasoningError.self) { try ConfidenceSettings(consensus: 0.2) }
        #expect(ConfidenceSettings.standard.runDescription.isEmpty)
        let low = try ConfidenceSettings(keepFraction: 0.1, earlyStop: true)
        #expect(low.runDescription == "keep 0.1, early stop")
    }

    /// The n-th chain the model is asked for, over all requests, answers `answers[n]` with every
    /// token at `confidences[n]` (cycling).
    static func model(answers: [Int], confidences: [Double], words: Int = 12) -> ScriptedModel {
        let counter = Counter()
        return ScriptedModel { _ in
            let i = counter.next() % answers.count
            let reasoning = Array(repeating: "step", count: words).joined(separator: " ")
            return .init("\(reasoning).\nAnswer: \(answers[i])", confidences: Array(repeating: confidences[i], count: 200))
        }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
    }

    @Test func confidentVoteWeighsAndKeepsTheMostConfidentChains() async throws {
        // Three weak chains say 5, two confident ones say 4: a plain vote says 5, confidence says 4.
        let model = Self.model(answers: [5, 5, 5, 4, 4], confidences: [1, 1, 1, 9, 9])
        let plain = try await Reasoner(model: model).answer("What is 2 + 2?", configuration: try ReasoningConfiguration(
            effort: .medium, strategy: .selfConsistency, samples: 5))
        #expect(plain.extractedAnswer == "5")
        let weighted = try await Reasoner(model: model).answer("What is 2 + 2?", configuration: try ReasoningConfiguration(
            effort: .medium, strategy: .confidentVote, samples: 5, confidence: try ConfidenceSettings(keepFraction: 1)))
        #expect(weighted.extractedAnswer == "4")   // 18 against 3
        #expect(weighted.samples.allSatisfy { $0.confidence != nil })
        // Keeping the top 40%: only the two confident chains vote.
        let low = try await Reasoner(model: model).answer("What is 2 + 2?", configuration: try ReasoningConfiguration(
            effort: .medium, strategy: .confidentVote, samples: 5, confidence: try ConfidenceSettings(keepFraction: 0.4)))
        #expect(low.votes == ["4": 2])
        // Every chain asked the engine for confidences with the configured top-k.
        #expect(model.requests.last?.confidenceTopK == 10)
    }

    @Test func earlyStopCancelsChainsBelowTheWarmupBarAtTheRightToken() async throws {
        // Warm-up chains 0 and 1 (confidence 8 and 6) set the bar; of the other four, the two at
        // confidence 2 fall below it and stop, the ones at 7 and 8 run to their answers.
        let model = Self.model(answers: [4, 7, 9, 4, 9, 4], confidences: [8, 6, 2, 7, 2, 8], words: 30)
        let settings = try ConfidenceSettings(window: 4, keepFraction: 0.9, earlyStop: true, warmupChains: 2, consensus: 1)
        let trace = try await Reasoner(model: model).answer("What is 2 + 2?", configuration: try ReasoningConfiguration(
            effort: .medium, strategy: .confidentVote, samples: 6, confidence: settings))
        // The bar: the 10th percentile of the warm-up's lowest group confidences (6 and 8) = 6.2.
        #expect(trace.summaries.contains { $0.title == "Setting a confidence bar" && $0.text.contains("6.20") })
        let stopped = trace.samples.filter { $0.stoppedLowConfidence == true }
        #expect(stopped.count == 2)
        #expect(stopped.allSatisfy { $0.reasoningTokens == 4 })   // stopped at the first full group
        #expect(stopped.allSatisfy { $0.extractedAnswer == nil || $0.answer.isEmpty })
        #expect(trace.samples.count == 6)
        // 4 holds 8 + 7 + 8 of the weight against 7's 6; the stopped chains do not vote.
        #expect(trace.extractedAnswer == "4")
        #expect(trace.votes == ["4": 3, "7": 1])
        // Two requests: the warm-up batch, then the rest, seeded after it.
        #expect(model.requests.count == 2)
        #expect(model.requests[0].count == 2 && model.requests[1].count == 4)
        #expect(model.requests[1].sampling.seed == model.requests[0].sampling.seed + 2)
    }

    @Test func aCalibratedThresholdStartsEveryChainAtOnceAndConsensusEndsTheVote() async throws {
        let model = Self.model(answers: [4], confidences: [8], words: 6)
        let settings = try ConfidenceSettings(window: 4, earlyStop: true, warmupChains: 2, threshold: 3, consensus: 0.95)
        let trace = try await Reasoner(model: model).answer("What is 2 + 2?", configuration: try ReasoningConfiguration(
            effort: .medium, strategy: .confidentVote, samples: 8, confidence: settings))
        #expect(model.requests.count == 1 && model.requests[0].count == 8)
        // All agree: the vote ends once more chains than the warm-up (2) have voted.
        #expect(trace.samples.count == 3)
        #expect(trace.extractedAnswer == "4")
    }

    @Test func withoutConfidencesTheVoteIsUnweightedAndSaysSo() async throws {
        let model = Self.model(answers: [5, 5, 4], confidences: [1, 1, 9])
        let trace = try await Reasoner(model: model).answer("What is 2 + 2?", configuration: try ReasoningConfiguration(
            effort: .medium, strategy: .confidentVote, samples: 3, confidence: try ConfidenceSettings(topK: 0)))
        #expect(trace.extractedAnswer == "5")
        #expect(trace.samples.allSatisfy { $0.confidence == nil })
        #expect(trace.summaries.contains { $0.title == "Weighing confidence" && $0.text.contains("unweighted") })
    }
}
