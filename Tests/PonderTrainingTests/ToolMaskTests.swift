import Foundation
import PonderCore
@testable import PonderLlama
import PonderReasoning
import PonderTesting
import PonderTrainingTesting
import Testing
@testable import PonderTraining

/// Tool-using chains in training (issue 16, item 4): chains sampled with the calculator keep its
/// results in the conversation, and assistant-only training masks the tokens it forced in.
@Suite struct ToolMaskTests {
    static func spans(_ text: String, _ pieces: [String]) -> [String] {
        let bytes = Array(text.utf8)
        return MaskedSpan.locate(pieces, in: text).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    }

    @Test func spansAreFoundInOrderAndTrimmed() {
        let text = "12 = 12, so 3 + 9 = 12\nthen 12 * 2 = 24"
        // "12" where it first occurs, then "24" after it, and "99" nowhere; whitespace at a piece's ends is ignored.
        let spans = MaskedSpan.locate([" 12", " 24\n", "99"], in: text)
        #expect(spans == [MaskedSpan(start: 0, end: 2), MaskedSpan(start: 37, end: 39)])
        #expect(Self.spans("a = €5 and b = €5", ["€5", " €5"]) == ["€5", "€5"])
        #expect(MaskedSpan.locate(["", "  "], in: "x").isEmpty)
    }

    @Test func maskingZeroesExactlyTheLabelsOfOverlappingTokens() throws {
        // Prompt tokens 7, 8; the answer "3 + 4 = 7\nA: 7" in pieces, then end of turn 0.
        let pieces: [Int32: String] = [10: "3", 11: " +", 12: " 4", 13: " =", 14: " 7", 15: "\nA:", 16: " 7"]
        let tokens: [Int32] = [7, 8, 10, 11, 12, 13, 14, 15, 16, 0]
        var weights = LlamaTrainer.assistantWeights(count: tokens.count, promptLength: 2)
        let content = "3 + 4 = 7\nA: 7"
        let masked = try MaskedSpan.mask([MaskedSpan(start: 8, end: 9)], content: content, tokens: tokens, promptLength: 2,
                                         weights: &weights) { Array((pieces[$0] ?? "").utf8) }
        #expect(masked == 1)
        // Label 5 predicts token 6 (" 7", the forced result); the model's own final " 7" still counts.
        #expect(weights == [0, 1, 1, 1, 1, 0, 1, 1, 1])
        // A span straddling two tokens masks both.
        var both = LlamaTrainer.assistantWeights(count: tokens.count, promptLength: 2)
        let straddling = try MaskedSpan.mask([MaskedSpan(start: 6, end: 9)], content: content, tokens: tokens, promptLength: 2,
                                             weights: &both) { Array((pieces[$0] ?? "").utf8) }
        #expect(straddling == 2)
        #expect(both == [0, 1, 1, 1, 0, 0, 1, 1, 1])
    }

    @Test func badSpansAndUnspelledAnswersAreRefused() throws {
        var weights: [Float] = [0, 1, 1]
        for bad in [MaskedSpan(start: 3, end: 2), MaskedSpan(start: -1, end: 1), MaskedSpan(start: 0, end: 99)] {
            #expect(throws: PonderError.self) {
                try MaskedSpan.mask([bad], content: "abc", tokens: [1, 2, 0], promptLength: 1, weights: &weights) { _ in [] }
            }
        }
        #expect(throws: PonderError.self) {
            try MaskedSpan.mask([MaskedSpan(start: 0, end: 1)], content: "abc", tokens: [1, 2, 0], promptLength: 1, weights: &weights) { _ in Array("x".utf8) }
        }
        #expect(weights == [0, 1, 1])
        // No spans: nothing to place, nothing refused.
        let none = try MaskedSpan.mask([], content: "abc", tokens: [1, 2, 0], promptLength: 1, weights: &weights) { _ in [] }
        #expect(none == 0)
    }

    @Test func theSamplerRecordsWhereTheCalculatorAnswered() async throws {
        let model = ScriptedModel { call in
            .init(call.sequence == 0 ? "First 23 + 45 = so 68 it is, and 68 * 2 = done.\nAnswer: 136" : "No tools here.\nAnswer: 5",
                  continuesAfterInjection: true)
        }
        let configuration = try StarConfiguration(baseModel: "m.gguf", outputDirectory: "out", fineTune: FineTuneSettings(), calculator: true)
        let chains = try await ChainSampler(model: model, maxReasoningTokens: 64, temperature: 0.7, tools: try configuration.toolUse())
            .sample(question: "What is 23 + 45?", count: 2, seed: 3)
        let first = chains[0]
        #expect(first.completion.contains("23 + 45 = 68 so 68 it is, and 68 * 2 = 136 done."), "\(first.completion)")
        let bytes = Array(first.completion.utf8)
        let texts = (first.toolResults ?? []).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
        #expect(texts == ["68", "136"])
        // The recorded offset places the first result right after "45 =", not on the model's own "68" later.
        let firstSpan = try #require(first.toolResults?.first)
        #expect(String(decoding: bytes[..<firstSpan.start], as: UTF8.self).hasSuffix("23 + 45 = "))
        #expect(chains[1].toolResults == nil)
        // Without tools, nothing is forced in.
        let plain = try await ChainSampler(model: model, maxReasoningTokens: 64, temperature: 0.7)
            .sample(question: "What is 23 + 45?", count: 1, seed: 3)
        #expect(plain[0].toolResults == nil && plain[0].completion.contains("23 + 45 = so"))
    }

    @Test func offsetsAreShiftedByThePrefixAndTheTrimmedStart() {
        // The completion "  x = 5 y…" follows a 3-byte assistant prefix "Go:"; its result " 5" was forced in at byte 5.
        let injections = [ChainInjection(purpose: .toolResult, text: " 5", tokens: 1, offset: 5),
                          ChainInjection(purpose: .budgetClose, text: "\nAnswer:", tokens: 2, offset: 9)]
        let raw = "Go:" + "  x = 5 y\nAnswer: 5"
        let completion = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let spans = ChainSampler.toolResults(of: injections, prefixBytes: 3, raw: raw, completion: completion)
        #expect(spans == [MaskedSpan(start: 9, end: 10)])
        // Whitespace trimmed off the completion's start shifts the offsets back.
        let spaced = "  x = 5"
        let trimmed = ChainSampler.toolResults(of: [ChainInjection(purpose: .toolResult, text: " 5", tokens: 1, offset: 5)],
                                               prefixBytes: 0, raw: spaced, completion: "x = 5")
        #expect(trimmed == [MaskedSpan(start: 4, end: 5)])
        // A wrong offset falls back to the search after the previous result.
        let wrong = [ChainInjection(purpose: .toolResult, text: " 5", tokens: 1, offset: 0)]
        #expect(ChainSampler.toolResults(of: wrong, prefixBytes: 3, raw: raw, completion: completion) == [MaskedSpan(start: 9, end: 10)])
    }

    static func job(_ directory: URL, examples: [TrainingExample]) throws -> FineTuneJob {
        let settings = try FineTuneSettings(epochs: 1, validationShare: 0, replayShare: 0)
        let start = directory.appendingPathComponent("start.gguf")
        try Data("start".utf8).write(to: start)
        return FineTuneJob(startModel: start.path, output: directory.appendingPathComponent("out.gguf").path,
                           examples: examples, settings: settings, stateDirectory: directory)
    }

    @Test func theFineTuneMasksToolResultsAndDropsUnplaceableExamples() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ponder-toolmask-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let answer = "2 + 3 = 5\nAnswer: 5"
        func example(_ spans: [MaskedSpan]?) -> TrainingExample {
            TrainingExample(messages: [.user("What is 2 + 3?"), .assistant(answer)],
                            provenance: .init(round: 1, source: .sampled, seed: 0, sequence: 0), maskedSpans: spans)
        }
        let backend = ScriptedTrainingBackend()
        backend.spellAnswers = true
        let report = try await backend.fineTune(try Self.job(directory, examples: [example([MaskedSpan(start: 8, end: 9)]), example(nil),
                                                                                    example([MaskedSpan(start: 8, end: 99)])]),
                                                progress: { _ in })
        #expect(report.trainingExamples == 2 && report.droppedUnplaceable == 1 && report.toolMaskedTokens == 1)
        // The answer is spelled one byte per token after the one-token question: label 8 predicts
        // byte 8, the forced "5"; every other label of the answer (and its end of turn) counts.
        let weights = try #require(backend.madeTrainers.first).stepWeights.compactMap { $0 }
        #expect(weights.count == 2)
        let masked = try #require(weights.first { $0.contains(0) })
        #expect(masked.count == answer.utf8.count + 1 && masked[8] == 0)
        #expect(masked.enumerated().allSatisfy { $0.offset == 8 || $0.element == 1 })
        #expect(weights.contains { $0.count == answer.utf8.count + 1 && $0.allSatisfy { $0 == 1 } })
    }

    @Test func theCalculatorSettingRoundTripsAndLeavesOldRunsAlone() throws {
        let off = try StarConfiguration(baseModel: "m.gguf", outputDirectory: "out", fineTune: FineTuneSettings())
        let encoded = try JSONEncoder().encode(off)
        let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        #expect(object["calculator"] == nil && object["baseModel"] as? String == "m.gguf")
        #expect(try JSONDecoder().decode(StarConfiguration.self, from: encoded) == off)
        let on = try StarConfiguration(baseModel: "m.gguf", outputDirectory: "out", fineTune: FineTuneSettings(), calculator: true)
        let back = try JSONDecoder().decode(StarConfiguration.self, from: try JSONEncoder().encode(on))
        #expect(back.calculator && back == on)
        #expect(try on.toolUse().tools.map(\.name) == ["calculator"] && off.toolUse().tools.isEmpty)
        // A stored configuration out of range is refused on reading, as at construction.
        var bad = object
        bad["rounds"] = 0
        #expect(throws: TrainingError.self) {
            try JSONDecoder().decode(StarConfiguration.self, from: JSONSerialization.data(withJSONObject: bad))
        }
    }

    @Test func theRealTokenizerPlacesTheCalculatorsResult() throws {
        let model = try LlamaModel(path: DefaultModel.path)
        let content = "23 + 45 = 68\nAnswer: 68"
        let conversation: [ChatMessage] = [.user("What is 23 + 45?"), .assistant(content)]
        let tokens = try LlamaTrainer.tokens(of: conversation, model: model)
        let prompt = try LlamaTrainer.promptLength(of: conversation, model: model)
        var weights = LlamaTrainer.assistantWeights(count: tokens.count, promptLength: prompt)
        let span = MaskedSpan(start: 10, end: 12)
        let masked = try MaskedSpan.mask([span], content: content, tokens: tokens, promptLength: prompt, weights: &weights) { model.piece($0) }
        #expect(masked >= 1)
        // The masked labels predict tokens that spell the result (and nothing of the answer line).
        let maskedTokens = weights.indices.filter { $0 + 1 >= prompt && weights[$0] == 0 }.map { tokens[$0 + 1] }
        let text = String(decoding: maskedTokens.flatMap { model.piece($0) }, as: UTF8.self)
        #expect(text.contains("68") && !text.contains("Answer"), "\(text)")
        #expect(weights.filter { $0 == 1 }.count == tokens.count - prompt - masked)
    }
}
