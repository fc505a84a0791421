import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PonderCore
@testable import PonderLlama
import PonderTesting
import Testing

/// What Ponder's llama.cpp patch 0001 (`llama_opt_epoch_weighted`, patches/README.md) changes, on
/// the real model in F32: masked labels give no gradient, the loss is the weighted mean of the
/// engine's own log-probabilities, weights scale it, a negative weight pushes a sequence down, and
/// weights of 1 train exactly as the unpatched call does.
@Suite(.serialized) struct WeightedTrainingTests {
    /// The embedded model converted to F32 (llama.cpp trains F32 weights only), once: one file in
    /// the temporary directory, reused by later runs while it loads.
    static let converted: Result<String, any Error> = Result {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ponder-weighted-training-f32.gguf").path
        if (try? LlamaModel.checkFile(path)) == nil {
            try LlamaModelConverter.convert(input: DefaultModel.path, output: path, to: .f32, threads: RealModelTestSettings.threads())
        }
        return path
    }
    static var f32: String { get throws { try converted.get() } }

    /// Runs the body on a thread of its own at the lowest priority: training steps take seconds of
    /// CPU, and on the test runner's cooperative threads, or at normal priority on two cores, they
    /// would starve the suites that measure time.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                // Lowest priority (Linux nice values are per thread, and threads it starts
                // inherit it): the suites that time the engine keep their cores.
                #if os(Linux)
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
                #endif
                continuation.resume(with: Result { try body() })
            }.start()
        }
    }

    /// One thread: the weight comparisons below are exact, so the sums must run in one order.
    static func trainer(learningRate: Double = 1e-4) throws -> LlamaTrainer {
        let settings = try TrainerSettings(window: 256, learningRate: learningRate, trainableLayers: 4)
        return try LlamaTrainer(modelPath: try f32, settings: settings, threads: 1)
    }

    /// A training conversation: its tokens and how many of them are the prompt (system, question).
    static func example(_ trainer: LlamaTrainer) throws -> (tokens: [Int32], promptLabels: Int) {
        let question: [ChatMessage] = [.user("What is 17 + 25?")]
        let tokens = try trainer.tokens(of: question + [.assistant("17 + 25 = 42\nAnswer: 42")])
        let prompt = try trainer.model.chatTokens(question, addAssistantPrompt: true)
        guard Array(tokens.prefix(prompt.count)) == prompt else { throw PonderError.backend("the prompt is not a prefix of the training tokens") }
        return (tokens, prompt.count - 1)   // label i predicts token i + 1
    }

    /// The bytes of the trainer's weights as saved.
    static func savedWeights(_ trainer: LlamaTrainer) throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ponder-weights-\(UUID().uuidString).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try trainer.save(to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test func aMaskedLabelGivesNoGradient() async throws {
        let (a, b, c) = try await Self.onThread { () throws -> (Data, Data, Data) in
            let first = try Self.trainer(), second = try Self.trainer(), control = try Self.trainer()
            let (tokens, promptLabels) = try Self.example(first)
            let window = 256
            let padded = tokens + Array(repeating: first.endOfTurnToken, count: window + 1 - tokens.count)
            let inputs = Array(padded[0..<window]), labels = Array(padded[1...window])
            // The same inputs; the labels differ only on the prompt, which the weights mask.
            var changed = labels
            for i in 0..<promptLabels { changed[i] = (labels[i] + 7) % Int32(first.model.vocabularySize) }
            let weights = (0..<window).map { $0 >= promptLabels && $0 < tokens.count - 1 ? Float(1) : 0 }
            _ = try first.step(inputs: inputs, labels: labels, weights: weights)
            _ = try second.step(inputs: inputs, labels: changed, weights: weights)
            // With the prompt unmasked the changed labels do change the step (so the comparison can fail).
            let unmasked = (0..<window).map { $0 < tokens.count - 1 ? Float(1) : 0 }
            _ = try control.step(inputs: inputs, labels: changed, weights: unmasked)
            return (try Self.savedWeights(first), try Self.savedWeights(second), try Self.savedWeights(control))
        }
        #expect(a == b, "labels under weight 0 changed the weights")
        #expect(a != c)
    }

    @Test func theLossIsTheWeightedMeanOfTheEnginesLogProbabilities() async throws {
        let (reported, expected, unmasked) = try await Self.onThread { () throws -> (Double, Double, Double) in
            let trainer = try Self.trainer()
            let (tokens, promptLabels) = try Self.example(trainer)
            // The engine's log-probability of every next token, from an inference context on the same file.
            let model = try LlamaModel(path: try Self.f32)
            let context = try LlamaContext(model: model, sequenceContext: 512, batchSize: 512, sequences: 1, threads: 1, unified: false)
            let batch = LlamaBatch(capacity: tokens.count)
            for (position, token) in tokens.dropLast().enumerated() {
                _ = try batch.add(token, position: position, sequence: 0, wantsLogits: true)
            }
            try context.decode(batch)
            let logprobs = (0..<(tokens.count - 1)).map { context.logprobs(of: tokens[$0 + 1], at: Int32($0), top: 0).chosen }
            // Prompt masked, the answer's labels weighted 1, 2, 0.5 in turn.
            let weights = (0..<(tokens.count - 1)).map { $0 < promptLabels ? Float(0) : [1, 2, 0.5][$0 % 3] }
            let counted = weights.filter { $0 != 0 }.count
            let expected = zip(weights, logprobs).reduce(0) { $0 - Double($1.0) * $1.1 } / Double(counted)
            let reported = try trainer.loss(tokens, weights: weights, padToken: trainer.endOfTurnToken)
            return (reported, expected, -logprobs.reduce(0, +) / Double(logprobs.count))
        }
        print("weighted loss \(reported), from the engine's log-probabilities \(expected)")
        #expect(abs(reported - expected) < 0.01, "reported \(reported), expected \(expected)")
        // The unmasked mean is a different number, so the mask is what the comparison checks.
        #expect(abs(unmasked - expected) > 0.1)
    }

    @Test func weightTwoDoublesTheLoss() async throws {
        let (count, unweighted, ones, twos) = try await Self.onThread { () throws -> (Int, Double, Double, Double) in
            let trainer = try Self.trainer()
            // A whole window of tokens, so no position is padding and the unweighted loss covers them all.
            let text = String(repeating: "Seventeen and twenty-five make forty-two; the sum is checked twice. ", count: 40)
            let tokens = Array(try trainer.model.tokenize(text).prefix(257))
            let pad = trainer.endOfTurnToken
            return (tokens.count, try trainer.loss(tokens, padToken: pad),
                    try trainer.loss(tokens, weights: Array(repeating: 1, count: 256), padToken: pad),
                    try trainer.loss(tokens, weights: Array(repeating: 2, count: 256), padToken: pad))
        }
        #expect(count == 257)
        #expect(abs(ones - unweighted) <= 1e-6 * abs(unweighted), "weights of 1: \(ones), unweighted \(unweighted)")
        #expect(abs(twos - 2 * unweighted) <= 1e-6 * abs(unweighted), "weights of 2: \(twos), unweighted \(unweighted)")
    }

    @Test func aStepAtWeightMinusOneLowersTheSequencesLogProbability() async throws {
        let (before, after) = try await Self.onThread { () throws -> (Double, Double) in
            let trainer = try Self.trainer(learningRate: 1e-4)
            let (tokens, promptLabels) = try Self.example(trainer)
            let answer = (0..<(tokens.count - 1)).map { $0 < promptLabels ? Float(0) : 1 }
            let before = try trainer.loss(tokens, weights: answer, padToken: trainer.endOfTurnToken)
            _ = try trainer.step(tokens, weights: answer.map { -$0 }, padToken: trainer.endOfTurnToken)
            return (before, try trainer.loss(tokens, weights: answer, padToken: trainer.endOfTurnToken))
        }
        print("mean -log p of the answer: \(before) before, \(after) after a step at weight -1")
        #expect(after > before, "the answer's mean negative log-probability went from \(before) to \(after)")
    }

    @Test func weightsOfOneTrainExactlyAsTheUnweightedCall() async throws {
        let (lossA, lossB, same) = try await Self.onThread { () throws -> (Double, Double, Bool) in
            let unweighted = try Self.trainer(), weighted = try Self.trainer()
            let (tokens, _) = try Self.example(unweighted)
            let window = 256
            let padded = tokens + Array(repeating: unweighted.endOfTurnToken, count: window + 1 - tokens.count)
            let lossA = try unweighted.step(tokens, padToken: unweighted.endOfTurnToken)   // llama_opt_epoch
            let lossB = try weighted.step(inputs: Array(padded[0..<window]), labels: Array(padded[1...window]),
                                          weights: Array(repeating: 1, count: window))     // llama_opt_epoch_weighted
            return (lossA, lossB, try Self.savedWeights(unweighted) == Self.savedWeights(weighted))
        }
        #expect(lossA == lossB)
        #expect(same, "weights of 1 trained differently from the unweighted call")
    }

    @Test func badWeightsAreRefusedInOneLine() throws {
        let trainer = try Self.trainer()
        let (tokens, _) = try Self.example(trainer)
        let pad = trainer.endOfTurnToken
        #expect(throws: LlamaError.self) { try trainer.step(tokens, weights: [1, 1], padToken: pad) }
        #expect(throws: LlamaError.self) { try trainer.step(tokens, weights: Array(repeating: 0, count: tokens.count - 1), padToken: pad) }
        var nan = Array(repeating: Float(1), count: tokens.count - 1)
        nan[3] = .nan
        #expect(throws: LlamaError.self) { try trainer.step(tokens, weights: nan, padToken: pad) }
        #expect(trainer.steps == 0)
    }
}
