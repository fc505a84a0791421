import Foundation
import PonderCore
import PonderEval

/// An accepted round's shipped model and its F32 weights.
struct AcceptedModel: Sendable, Hashable {
    var model: String
    var f32: String
}

/// `behaviour.json`: the probe prompts, the base model's answers to them, and each model's result
/// as it finishes (a resumed run measures only the rest; other prompts start it over).
struct BehaviourFile: Codable {
    var prompts: [String]
    var reference: [BehaviourAnswer]?
    var results: [BehaviourResult]
}

extension StarLoop {
    /// The control: the base model converted to F32 and back to the tuned models' weight type,
    /// untrained, so the test set compares like with like (`control-<type>.gguf`, made once).
    func controlModel() throws -> String {
        let quantization = configuration.fineTune.quantization
        let control = directory.appendingPathComponent("control-\(quantization.rawValue).gguf").path
        guard !FileManager.default.fileExists(atPath: control) else { return control }
        hooks.status("Test set: converting the base model to \(quantization.rawValue) untrained, as the control…")
        let f32 = directory.appendingPathComponent("control-f32.gguf").path
        do {
            try backend.convert(input: configuration.baseModel, output: f32, to: .f32)
            try backend.convert(input: f32, output: control, to: quantization)
            try backend.restoreMetadata(in: control, from: configuration.baseModel)
        } catch {
            RunFiles.remove(URL(fileURLWithPath: f32))
            throw TrainingError.baseNotConvertible(path: configuration.baseModel, reason: "\(error)")
        }
        RunFiles.remove(URL(fileURLWithPath: f32))
        return control
    }

    /// The test set's results, in order: the base, the control, every accepted round's model, then
    /// (when a round was accepted) the base again given the final model's mean reasoning tokens as
    /// its budget, so a gain from shorter chains alone shows. Each is measured once, its result kept
    /// in `test.json` as it finishes, so a resumed run measures only the rest.
    func test(accepted: [String]) async throws -> [HeldOutResult] {
        let file = directory.appendingPathComponent("test.json")
        var results = try RunFiles.readJSON([HeldOutResult].self, from: file) ?? []
        var entries: [(model: String, budget: Int?)] = ([configuration.baseModel, try controlModel()] + accepted).map { ($0, nil) }
        func measure(_ index: Int) async throws {
            let (path, budget) = entries[index]
            guard !results.contains(where: { $0.model == path && $0.budget == budget }) else { return }
            let tokens = budget ?? configuration.evaluationReasoningTokens
            let evaluator = HeldOutEvaluator(problems: testProblems, maxReasoningTokens: tokens, tools: try configuration.toolUse())
            hooks.status("Test set: evaluating \(path)\(budget.map { " with \($0) reasoning tokens" } ?? "") on \(testProblems.count) problems (after the run; no decision used them)…")
            let model = try backend.languageModel(path: path)
            var result = try await evaluator.evaluate(model, name: path, recordsFile: directory.appendingPathComponent("test-records-\(index).jsonl"))
            result.budget = budget
            results.append(result)
            try RunFiles.writeJSON(results, to: file)
        }
        for index in entries.indices { try await measure(index) }
        if let final = accepted.last, let trained = results.first(where: { $0.model == final && $0.budget == nil }) {
            entries.append((configuration.baseModel, max(1, Int(trained.meanReasoningTokens.rounded(.up)))))
            try await measure(entries.count - 1)
        }
        return entries.compactMap { entry in results.first { $0.model == entry.model && $0.budget == entry.budget } }
    }

    /// General behaviour before and after training (`BehaviourProbe`): the share of everyday
    /// prompts whose greedy answer ends its turn, for the base, the control and every accepted
    /// round's model; and the perplexity of the base model's own answers under the base's weights
    /// (converted to F32 for the purpose, then deleted) and each accepted round's F32 weights.
    func behaviour(accepted: [AcceptedModel]) async throws -> [BehaviourResult] {
        let file = directory.appendingPathComponent("behaviour.json")
        var record = try RunFiles.readJSON(BehaviourFile.self, from: file)
        if record?.prompts != behaviourPrompts { record = BehaviourFile(prompts: behaviourPrompts, reference: nil, results: []) }
        guard var record else { return [] }
        let probe = BehaviourProbe(prompts: behaviourPrompts)
        let base = configuration.baseModel
        let reference: [BehaviourAnswer]
        if let stored = record.reference {
            reference = stored
        } else {
            hooks.status("Behaviour: the base model's greedy answers to \(behaviourPrompts.count) everyday prompts no round trained on…")
            reference = try await probe.answers(try backend.languageModel(path: base))
            record.reference = reference
            try RunFiles.writeJSON(record, to: file)
        }
        let models: [(model: String, f32: String?)] = [(base, nil), (try controlModel(), nil)]
            + accepted.map { ($0.model, FileManager.default.fileExists(atPath: $0.f32) ? $0.f32 : nil) }
        for (path, f32) in models where !record.results.contains(where: { $0.model == path }) {
            hooks.status("Behaviour: measuring \(path) on \(behaviourPrompts.count) everyday prompts…")
            let started = Date()
            let answers = path == base ? reference : try await probe.answers(try backend.languageModel(path: path))
            var scored: (perplexity: Double, tokens: Int)?
            var weights = f32
            if path == base {
                let converted = directory.appendingPathComponent("behaviour-base-f32.gguf").path
                defer { RunFiles.remove(URL(fileURLWithPath: converted)) }
                do { try backend.convert(input: base, output: converted, to: .f32) } catch {
                    throw TrainingError.baseNotConvertible(path: base, reason: "\(error)")
                }
                scored = try await perplexity(of: reference, weights: converted)
                weights = base
            } else if let f32 {
                scored = try await perplexity(of: reference, weights: f32)
            }
            let ended = answers.filter(\.ended).count
            record.results.append(BehaviourResult(
                model: path, prompts: answers.count, endedTurn: ended, endedTurnShare: answers.isEmpty ? 0 : Double(ended) / Double(answers.count),
                meanAnswerTokens: answers.isEmpty ? 0 : Double(answers.map(\.tokens).reduce(0, +)) / Double(answers.count),
                perplexity: scored?.perplexity, weights: scored == nil ? nil : weights, scoredTokens: scored?.tokens ?? 0,
                seconds: Date().timeIntervalSince(started)))
            try RunFiles.writeJSON(record, to: file)
        }
        return models.compactMap { entry in record.results.first { $0.model == entry.model } }
    }

    /// The perplexity of `reference` under the F32 model at `weights`, computed on its own thread
    /// (a forward pass per answer blocks).
    func perplexity(of reference: [BehaviourAnswer], weights: String) async throws -> (perplexity: Double, tokens: Int)? {
        let backend = self.backend
        let settings = try TrainerSettings(window: BehaviourProbe.window)
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    let trainer = try backend.makeTrainer(modelPath: weights, settings: settings)
                    continuation.resume(returning: try BehaviourProbe.perplexity(of: reference, trainer: trainer, window: settings.window))
                } catch let error as TrainingError {
                    continuation.resume(throwing: error)
                } catch {
                    continuation.resume(throwing: TrainingError.fineTuneFailed("scoring the behaviour probe with \(weights): \(error)"))
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
