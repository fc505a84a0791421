import Foundation
import PonderCore
import PonderEval
import PonderReasoning

/// One judged chain, as stored in `round-N/chains.jsonl`. A problem's chains of one pass are
/// appended together as a batch; each says how many the batch has, so a batch a kill cut short is
/// recognised, dropped and sampled again (files written before batches were recorded have none).
struct ChainRecord: Codable {
    var problemID: String
    var rationalized: Bool
    var verdict: ChainVerdict
    var chain: SampledChain
    /// Chains appended with this one for its problem and pass.
    var batch: Int?

    enum CodingKeys: String, CodingKey {
        case rationalized, verdict, chain, batch
        case problemID = "problem_id"
    }
}

extension StarLoop {
    /// Runs (or resumes) one round, stage by stage, saving the round state after each.
    func runRound(_ round: Int, run: inout RunState) async throws -> RoundState {
        let folder = roundDirectory(round)
        let stateFile = folder.appendingPathComponent("round.json")
        var state = try RunFiles.readJSON(RoundState.self, from: stateFile)
            ?? RoundState(round: round, startModel: run.currentModel, startAccuracy: run.currentAccuracy)
        if state.stage > .started { hooks.status("Round \(round): resuming after stage \"\(state.stage)\".") }
        let chainsFile = folder.appendingPathComponent("chains.jsonl")
        let datasetFile = folder.appendingPathComponent("dataset.jsonl")
        let tunedF32 = folder.appendingPathComponent("tuned-f32.gguf").path
        let shipped = folder.appendingPathComponent("model.gguf").path
        var sampler: (any LanguageModel)?
        func samplingModel() throws -> any LanguageModel {
            if let sampler { return sampler }
            let model = try backend.languageModel(path: state.startModel)
            sampler = model
            return model
        }
        func finish(_ stage: RoundStage, started: Date) throws {
            state.stage = stage
            state.seconds[stage.description] = (state.seconds[stage.description] ?? 0) + Date().timeIntervalSince(started)
            try RunFiles.writeJSON(state, to: stateFile)
            try hooks.stageFinished(round, stage)
        }

        if state.stage < .sampled {
            let started = Date()
            try await sample(round: round, model: try samplingModel(), into: chainsFile)
            state.counts = try counts(of: chainsFile)
            hooks.status("Round \(round): \(state.counts.chainsKept) of \(state.counts.chainsSampled) chains kept; \(state.counts.problemsSolved) of \(state.counts.problems) problems solved.")
            try finish(.sampled, started: started)
        }
        if state.stage < .rationalized {
            let started = Date()
            if configuration.rationalizationSamples > 0 {
                try await rationalize(round: round, model: try samplingModel(), into: chainsFile)
            }
            state.counts = try counts(of: chainsFile)
            hooks.status("Round \(round): rationalized \(state.counts.problemsRationalized) problems, kept \(state.counts.rationalizedKept) chains.")
            try finish(.rationalized, started: started)
        }
        if state.stage < .datasetWritten {
            let started = Date()
            let kept = try examples(round: round, from: chainsFile)
            var replay: [TrainingExample] = []
            if !kept.isEmpty, configuration.fineTune.replayShare > 0 {
                let wanted = Int((Double(kept.count) * configuration.fineTune.replayShare).rounded())
                let base = state.startModel == configuration.baseModel ? try samplingModel() : try backend.languageModel(path: configuration.baseModel)
                replay = try await replayExamples(round: round, count: wanted, model: base)
            }
            state.counts.replayExamples = replay.count
            try TrainingExample.write(kept + replay, to: datasetFile)
            try finish(.datasetWritten, started: started)
        }
        sampler = nil   // free the sampling model before training
        let examples = try TrainingExample.read(from: datasetFile)
        guard examples.contains(where: { $0.provenance.source != .replay }) else {
            hooks.status("Round \(round): no chain was kept, so there is nothing to train on.")
            state.accepted = false
            state.stage = .decided
            try RunFiles.writeJSON(state, to: stateFile)
            run.roundsDone = round
            try RunFiles.writeJSON(run, to: runFile)
            return state
        }
        if state.stage < .converted {
            let started = Date()
            if let f32 = run.currentF32, FileManager.default.fileExists(atPath: f32) {
                state.startF32 = f32
            } else {
                let output = folder.appendingPathComponent("start-f32.gguf").path
                hooks.status("Round \(round): converting \(state.startModel) to F32…")
                do { try backend.convert(input: state.startModel, output: output, to: .f32) } catch {
                    throw TrainingError.baseNotConvertible(path: state.startModel, reason: "\(error)")
                }
                state.startF32 = output
            }
            try finish(.converted, started: started)
        }
        if state.stage < .trained {
            let started = Date()
            guard let startF32 = state.startF32 else {
                throw TrainingError.unreadableState(path: stateFile.path, reason: "the F32 start model is not recorded")
            }
            hooks.status("Round \(round): fine-tuning on \(examples.count) examples…")
            let job = FineTuneJob(startModel: startF32, output: tunedF32, examples: examples,
                                  settings: configuration.fineTune, stateDirectory: folder)
            state.fineTune = try await backend.fineTune(job, progress: hooks.progress)
            try finish(.trained, started: started)
        }
        if state.stage < .quantized {
            let started = Date()
            try backend.convert(input: tunedF32, output: shipped, to: configuration.fineTune.quantization)
            try backend.restoreMetadata(in: shipped, from: configuration.baseModel)
            if let startF32 = state.startF32, startF32.hasPrefix(folder.path) { RunFiles.remove(URL(fileURLWithPath: startF32)) }
            try finish(.quantized, started: started)
        }
        if state.stage < .evaluated {
            let started = Date()
            hooks.status("Round \(round): evaluating the tuned model on \(heldOut.count) held-out problems…")
            let model = try backend.languageModel(path: shipped)
            state.evaluation = try await evaluator().evaluate(model, name: shipped, recordsFile: folder.appendingPathComponent("eval-records.jsonl"))
            hooks.status("Round \(round): tuned model \(Self.percent(state.evaluation?.accuracy)) held-out (was \(Self.percent(state.startAccuracy))).")
            try finish(.evaluated, started: started)
        }
        if state.stage < .decided {
            let started = Date()
            let accuracy = state.evaluation?.accuracy ?? 0
            state.accepted = accuracy > state.startAccuracy
            if state.accepted != true { RunFiles.remove(URL(fileURLWithPath: tunedF32)) }
            try finish(.decided, started: started)
        }
        // The decision reaches run.json after round.json records it, and again on every resume, so a
        // kill between the two writes loses nothing.
        if state.accepted == true, let evaluation = state.evaluation {
            run.currentModel = shipped
            run.currentF32 = tunedF32
            run.currentAccuracy = evaluation.accuracy
        }
        run.roundsDone = round
        try RunFiles.writeJSON(run, to: runFile)
        return state
    }

    // MARK: Stages

    /// Samples K chains per problem and appends the judged chains; problems already in the file
    /// (from a killed run) are skipped.
    func sample(round: Int, model: any LanguageModel, into file: URL) async throws {
        try dropIncompleteBatches(in: file)
        let done = Set(try JSONLFile(file).read(ChainRecord.self).filter { !$0.rationalized }.map(\.problemID))
        var kept = try keptKeys(in: file)
        let sampler = ChainSampler(model: model, maxReasoningTokens: configuration.maxReasoningTokens, temperature: configuration.temperature,
                                   tools: try configuration.toolUse())
        let filter = ChainFilter(processVerifier: processVerifier)
        for (index, problem) in trainProblems.enumerated() where !done.contains(problem.id) {
            let seed = configuration.seed &+ UInt32(truncatingIfNeeded: round * 100_000 + index * 64)
            let chains = try await sampler.sample(question: problem.question, count: configuration.samples, seed: seed)
            let verdicts = filter.judge(chains, expected: problem.expected, kind: problem.kind.answerKind ?? .text,
                                        question: problem.question, rationalized: false, keptSoFar: &kept)
            try append(chains, verdicts: verdicts, problem: problem, rationalized: false, to: file)
            if (index + 1) % 10 == 0 { hooks.status("Round \(round): sampled \(index + 1)/\(trainProblems.count) problems.") }
        }
    }

    /// Samples again, with the answer as a hint, the problems where no chain was kept (STaR's
    /// rationalization); kept chains are stored without the hint.
    func rationalize(round: Int, model: any LanguageModel, into file: URL) async throws {
        try dropIncompleteBatches(in: file)
        let records = try JSONLFile(file).read(ChainRecord.self)
        let solved = Set(records.filter { $0.verdict == .kept }.map(\.problemID))
        let done = Set(records.filter(\.rationalized).map(\.problemID))
        var kept = try keptKeys(in: file)
        let sampler = ChainSampler(model: model, maxReasoningTokens: configuration.maxReasoningTokens, temperature: configuration.temperature,
                                   tools: try configuration.toolUse())
        let filter = ChainFilter(processVerifier: processVerifier)
        for (index, problem) in trainProblems.enumerated() where !solved.contains(problem.id) && !done.contains(problem.id) {
            let seed = configuration.seed &+ UInt32(truncatingIfNeeded: round * 100_000 + 50_000 + index * 64)
            let hint = "Hint: the correct answer is \(problem.expected). Show the steps that lead to it."
            let chains = try await sampler.sample(question: problem.question, hint: hint,
                                                  count: configuration.rationalizationSamples, seed: seed)
            let verdicts = filter.judge(chains, expected: problem.expected, kind: problem.kind.answerKind ?? .text,
                                        question: problem.question, rationalized: true, keptSoFar: &kept)
            try append(chains, verdicts: verdicts, problem: problem, rationalized: true, to: file)
        }
    }

    private func append(_ chains: [SampledChain], verdicts: [ChainVerdict], problem: EvalProblem, rationalized: Bool, to file: URL) throws {
        let records = zip(chains, verdicts).map {
            ChainRecord(problemID: problem.id, rationalized: rationalized, verdict: $1, chain: $0, batch: chains.count)
        }
        try JSONLFile(file).append(records)
    }

    /// Drops the chains of a batch a kill cut short (fewer records than its `batch` says), so its
    /// problem counts as not done and is sampled again. Only the last batch can be short.
    func dropIncompleteBatches(in file: URL) throws {
        let records = try JSONLFile(file).read(ChainRecord.self)
        var sizes: [String: Int] = [:]
        for record in records { sizes[Self.batchKey(record), default: 0] += 1 }
        try JSONLFile(file).retain(ChainRecord.self) { record in
            record.batch.map { sizes[Self.batchKey(record), default: 0] >= $0 } ?? true
        }
    }

    private static func batchKey(_ record: ChainRecord) -> String {
        (record.rationalized ? "r:" : "s:") + record.problemID
    }

    private func keptKeys(in file: URL) throws -> Set<String> {
        Set(try JSONLFile(file).read(ChainRecord.self).filter { $0.verdict == .kept }.map { ChainFilter.dedupeKey($0.chain.completion) })
    }

    func counts(of file: URL) throws -> RoundCounts {
        let records = try JSONLFile(file).read(ChainRecord.self)
        var counts = RoundCounts()
        counts.problems = trainProblems.count
        let first = records.filter { !$0.rationalized }
        let second = records.filter(\.rationalized)
        counts.chainsSampled = first.count
        counts.chainsKept = first.filter { $0.verdict == .kept }.count
        counts.problemsSolved = Set(first.filter { $0.verdict == .kept }.map(\.problemID)).count
        counts.problemsRationalized = Set(second.map(\.problemID)).count
        counts.rationalizationChains = second.count
        counts.rationalizedKept = second.filter { $0.verdict == .kept }.count
        for record in records {
            counts.verdicts[(record.rationalized ? "rationalized " : "") + record.verdict.rawValue, default: 0] += 1
        }
        return counts
    }

    /// The kept chains as training conversations: the prompt as sent, then the chain.
    func examples(round: Int, from file: URL) throws -> [TrainingExample] {
        let expected = Dictionary(trainProblems.map { ($0.id, $0.expected) }, uniquingKeysWith: { first, _ in first })
        return try JSONLFile(file).read(ChainRecord.self).filter { $0.verdict == .kept }.map { record in
            TrainingExample(messages: record.chain.messages + [.assistant(record.chain.completion)],
                            provenance: .init(round: round, source: record.rationalized ? .rationalized : .sampled,
                                              seed: record.chain.seed, sequence: record.chain.sequence,
                                              problemID: record.problemID, expected: expected[record.problemID]),
                            maskedSpans: record.chain.toolResults)
        }
    }

    /// The base model's greedy answers to `count` unrelated prompts, kept only when it ended its turn.
    func replayExamples(round: Int, count: Int, model: any LanguageModel) async throws -> [TrainingExample] {
        var examples: [TrainingExample] = []
        let sampling = try SamplingParameters(temperature: 0, seed: configuration.seed, maxTokens: 128)
        for (index, prompt) in ReplayPrompts.all.prefix(count).enumerated() {
            let completion = try await model.complete(.chat([.user(prompt)], sampling: sampling))[0]
            let text = completion.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard completion.finishReason == .stop, !text.isEmpty else { continue }
            examples.append(TrainingExample(messages: [.user(prompt), .assistant(text)],
                                            provenance: .init(round: round, source: .replay, seed: configuration.seed, sequence: index)))
        }
        return examples
    }
}
