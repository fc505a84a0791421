import Foundation
import Logging
import PonderCore
import PonderEval
import PonderReasoning

/// Hooks into a running STaR loop: status lines, fine-tune progress, and a stage hook that tests use
/// to simulate a kill right after a stage was saved.
public struct StarHooks: Sendable {
    /// A one-line status update.
    public var status: @Sendable (String) -> Void
    /// Every fine-tune step.
    public var progress: @Sendable (FineTuneProgress) -> Void
    /// Called after a stage's state is on disk; throwing stops the run there.
    public var stageFinished: @Sendable (_ round: Int, _ stage: RoundStage) throws -> Void

    /// Creates hooks (all do nothing by default).
    public init(status: @escaping @Sendable (String) -> Void = { _ in },
                progress: @escaping @Sendable (FineTuneProgress) -> Void = { _ in },
                stageFinished: @escaping @Sendable (Int, RoundStage) throws -> Void = { _, _ in }) {
        self.status = status
        self.progress = progress
        self.stageFinished = stageFinished
    }
}

/// The outcome of a STaR run.
public struct StarReport: Sendable, Hashable, Codable {
    /// The base model's held-out result.
    public var baseline: HeldOutResult
    /// Every round's state.
    public var rounds: [RoundState]
    /// The model the run ends with (the base when no round was accepted).
    public var finalModel: String
    /// Its held-out accuracy.
    public var finalAccuracy: Double
    /// Whether the run stopped early because a round did not improve.
    public var stoppedEarly: Bool
    /// The test set's results once the run ended: the base model, the control (the base at the
    /// tuned models' weight type, untrained), then every accepted round's model (nil without a
    /// test set), and the base again at the final model's mean reasoning tokens (`budget`). Never
    /// seen by the decisions.
    public var test: [HeldOutResult]?
    /// General behaviour on everyday prompts once the run ended (`BehaviourProbe`): the base, the
    /// control and every accepted round's model; nil when no probe prompts were given.
    public var behaviour: [BehaviourResult]?
}

/// Self-improvement on verified chains of thought (STaR, Zelikman et al. 2022; rejection-sampling
/// fine-tuning): per round, sample K chains per training problem, keep the correct and sound ones,
/// rationalize unsolved problems with the answer as a hint, fine-tune on the kept chains, evaluate on
/// the held-out set, and accept the new model only if it is better there. Every stage's state is on
/// disk; a killed run resumes at the stage it reached and never redoes a finished round.
///
/// ```swift
/// let loop = try StarLoop(configuration: configuration, trainProblems: train, heldOut: heldOut,
///                         backend: LlamaTrainingBackend(), processVerifier: verifier)
/// let report = try await loop.run()
/// print(report.baseline.accuracy, report.finalAccuracy)
/// ```
public struct StarLoop: Sendable {
    /// The settings.
    public let configuration: StarConfiguration
    /// Training problems with verifiable answers.
    public let trainProblems: [EvalProblem]
    /// Held-out problems that decide each round (a validation set when a test set is given).
    public let heldOut: [EvalProblem]
    /// Problems measured only once the run ended, for the base and every accepted round's model
    /// (the held-out templates); empty: none.
    public let testProblems: [EvalProblem]
    /// Everyday prompts measured once the run ended for general behaviour (`BehaviourProbe`);
    /// empty: none.
    public let behaviourPrompts: [String]
    /// The model runtime.
    public let backend: any TrainingBackend
    /// Checks chains' steps; nil checks outcomes only.
    public let processVerifier: (any ProcessVerifier)?
    /// Hooks.
    public let hooks: StarHooks
    /// Where the base model's SHA-256 is cached.
    public let digests: ModelDigestCache
    let logger = Logger(label: "ponder.train")

    /// Creates a loop.
    /// - Throws: `TrainingError.noVerifiableAnswers` when no training problem has a checkable answer,
    ///   `.heldOutOverlap` when a held-out question is also a training question, `.badProblems` for an
    ///   empty set.
    public init(configuration: StarConfiguration, trainProblems: [EvalProblem], heldOut: [EvalProblem],
                testProblems: [EvalProblem] = [], behaviourPrompts: [String] = [],
                backend: any TrainingBackend, processVerifier: (any ProcessVerifier)?, hooks: StarHooks = StarHooks(),
                digests: ModelDigestCache = .standard) throws {
        let verifiable = trainProblems.filter(Self.isVerifiable)
        guard !trainProblems.isEmpty else { throw TrainingError.badProblems(source: "the training set", reason: "it is empty") }
        guard !verifiable.isEmpty else { throw TrainingError.noVerifiableAnswers(source: "the training set") }
        guard !heldOut.isEmpty else { throw TrainingError.badProblems(source: "the held-out set", reason: "it is empty") }
        let trainingQuestions = Set(verifiable.map { Self.questionKey($0.question) })
        let overlap = heldOut.filter { trainingQuestions.contains(Self.questionKey($0.question)) }
        if let first = overlap.first {
            throw TrainingError.heldOutOverlap(count: overlap.count, example: first.question)
        }
        let decisionQuestions = trainingQuestions.union(heldOut.map { Self.questionKey($0.question) })
        let testOverlap = testProblems.filter { decisionQuestions.contains(Self.questionKey($0.question)) }
        if let first = testOverlap.first {
            throw TrainingError.heldOutOverlap(count: testOverlap.count, example: first.question)
        }
        self.configuration = configuration
        self.trainProblems = verifiable
        self.heldOut = heldOut
        self.testProblems = testProblems
        self.behaviourPrompts = behaviourPrompts
        self.backend = backend
        self.processVerifier = processVerifier
        self.hooks = hooks
        self.digests = digests
    }

    /// Whether a problem's answer can be checked by the answer library.
    public static func isVerifiable(_ problem: EvalProblem) -> Bool {
        switch problem.kind {
        case .number, .multipleChoice: return !problem.expected.isEmpty
        case .text: return !problem.expected.trimmingCharacters(in: .whitespaces).isEmpty
        case .code: return false
        }
    }

    /// Questions compared for overlap: case and spacing ignored.
    static func questionKey(_ question: String) -> String { ChainFilter.dedupeKey(question) }

    var directory: URL { URL(fileURLWithPath: configuration.outputDirectory) }
    var runFile: URL { directory.appendingPathComponent("run.json") }
    func roundDirectory(_ round: Int) -> URL { directory.appendingPathComponent("round-\(round)") }

    // MARK: The run

    /// Runs (or resumes) the loop to its end. A rejected round ends the run; on resume the stored
    /// rounds are replayed through the same rule, so a kill between two state files changes nothing.
    public func run() async throws -> StarReport {
        var state = try await startOrResume()
        var rounds: [RoundState] = []
        for round in 1...configuration.rounds {
            let result: RoundState
            if round <= state.roundsDone,
               let done = try RunFiles.readJSON(RoundState.self, from: roundDirectory(round).appendingPathComponent("round.json")) {
                result = done
            } else {
                result = try await runRound(round, run: &state)
                if result.accepted != true {
                    hooks.status("Round \(round) was rejected: held-out accuracy \(Self.percent(result.evaluation?.accuracy)) is not above \(Self.percent(result.startAccuracy)); the earlier model stays.")
                }
            }
            rounds.append(result)
            if result.accepted != true {
                state.stoppedEarly = round < configuration.rounds
                break
            }
        }
        state.finished = true
        try RunFiles.writeJSON(state, to: runFile)
        guard let baseline = state.baseline else {
            throw TrainingError.unreadableState(path: runFile.path, reason: "the baseline evaluation is missing")
        }
        let accepted = rounds.enumerated().filter { $0.element.accepted == true }.compactMap { index, round in
            round.evaluation.map { AcceptedModel(model: $0.model, f32: roundDirectory(index + 1).appendingPathComponent("tuned-f32.gguf").path) }
        }
        let test = testProblems.isEmpty ? nil : try await self.test(accepted: accepted.map(\.model))
        let behaviour = behaviourPrompts.isEmpty ? nil : try await self.behaviour(accepted: accepted)
        let report = StarReport(baseline: baseline, rounds: rounds, finalModel: state.currentModel,
                                finalAccuracy: state.currentAccuracy, stoppedEarly: state.stoppedEarly, test: test, behaviour: behaviour)
        try RunFiles.writeJSON(report, to: directory.appendingPathComponent("report.json"))
        return report
    }

    /// Loads `run.json`, or evaluates the base model and writes it. The base model is identified by
    /// content (SHA-256, cached by `digests`): a run directory is never resumed with other weights
    /// under the same path, nor one written before the digest was recorded.
    func startOrResume() async throws -> RunState {
        let fingerprint = try self.fingerprint()
        let baseDigest: String
        do { baseDigest = try digests.digest(ofFileAt: configuration.baseModel) } catch {
            throw TrainingError.badProblems(source: "the base model", reason: "\(error)")
        }
        if let state = try RunFiles.readJSON(RunState.self, from: runFile) {
            guard let stored = state.baseModelDigest else {
                throw TrainingError.baseModelChanged(directory: directory.path, model: configuration.baseModel, stored: nil, now: baseDigest)
            }
            guard stored == baseDigest else {
                throw TrainingError.baseModelChanged(directory: directory.path, model: configuration.baseModel, stored: stored, now: baseDigest)
            }
            guard state.fingerprint == fingerprint else {
                throw TrainingError.runMismatch(directory: directory.path, detail: "settings or problems differ")
            }
            if state.baseline != nil {
                hooks.status(state.finished ? "The run in \(directory.path) is complete." : "Resuming the run in \(directory.path) after round \(state.roundsDone).")
                return state
            }
        }
        var problems = Data()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for problem in trainProblems {
            problems.append(try encoder.encode(problem))
            problems.append(UInt8(ascii: "\n"))
        }
        try RunFiles.write(problems, to: directory.appendingPathComponent("train-problems.jsonl"))
        try RunFiles.writeJSON(heldOut.map(\.question), to: directory.appendingPathComponent("heldout-questions.json"))
        hooks.status("Evaluating the base model on \(heldOut.count) held-out problems (cot, greedy)…")
        let model = try backend.languageModel(path: configuration.baseModel)
        let baseline = try await evaluator().evaluate(model, name: configuration.baseModel,
                                                    recordsFile: directory.appendingPathComponent("baseline-records.jsonl"))
        hooks.status("Base model: \(Self.percent(baseline.accuracy)) held-out (\(baseline.correct)/\(baseline.count)).")
        let state = RunState(fingerprint: fingerprint, baseModelDigest: baseDigest, baseline: baseline, currentModel: configuration.baseModel,
                             currentF32: nil, currentAccuracy: baseline.accuracy, roundsDone: 0, stoppedEarly: false, finished: false)
        try RunFiles.writeJSON(state, to: runFile)
        return state
    }

    func evaluator() throws -> HeldOutEvaluator {
        HeldOutEvaluator(problems: heldOut, maxReasoningTokens: configuration.evaluationReasoningTokens, tools: try configuration.toolUse())
    }

    /// A digest of the settings and problems (FNV-1a over their JSON).
    func fingerprint() throws -> String {
        struct Identity: Codable {
            var configuration: StarConfiguration
            var train: [String]
            var heldOut: [String]
            /// Left out without a test set, so runs from before it keep their fingerprint.
            var test: [String]?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(Identity(configuration: configuration, train: trainProblems.map { $0.question + "=" + $0.expected },
                                               heldOut: heldOut.map { $0.question + "=" + $0.expected },
                                               test: testProblems.isEmpty ? nil : testProblems.map { $0.question + "=" + $0.expected }))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return String(hash, radix: 16)
    }

    static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
    }
}
