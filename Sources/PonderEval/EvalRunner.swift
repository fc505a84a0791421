import Foundation
import PonderCore
import PonderReasoning

/// Runs problems through a `Reasoner` under each setting and grades them: numbers, choices and
/// expressions with the answer-equivalence library, code by running it with the task's tests in
/// the sandbox (`CodeGrader`).
public struct EvalRunner: Sendable {
    /// The reasoner (and through it the model) under test.
    public let reasoner: Reasoner
    /// Chains for self-consistency and best-of-n; nil uses the effort's.
    public let samples: Int?
    /// Reasoning-token budget per chain; nil uses the effort's.
    public let maxReasoningTokens: Int?
    /// Base seed; problem i uses seed + i.
    public let seed: UInt32
    /// Grades code problems; nil makes every code answer wrong.
    public let codeGrader: CodeGrader?
    /// Whether records keep the full trace as JSON.
    public let keepTraces: Bool
    /// Tools inside the reasoning for every setting (none by default).
    public let tools: ToolUse
    /// How chain confidence is measured and used (confident-vote).
    public let confidence: ConfidenceSettings
    /// A verifier fitted on the model's chains for best-of-n, confident-vote and check-and-revise.
    public var trainedVerifier: TrainedVerifier?

    /// Answer-token budget for code problems (a whole function needs more than a number).
    public static let codeAnswerTokens = 384

    /// Creates a runner.
    public init(reasoner: Reasoner, samples: Int? = nil, maxReasoningTokens: Int? = nil, seed: UInt32 = 0,
                codeGrader: CodeGrader? = nil, keepTraces: Bool = true, tools: ToolUse = .none, confidence: ConfidenceSettings = .standard) {
        self.tools = tools
        self.confidence = confidence
        self.reasoner = reasoner
        self.samples = samples
        self.maxReasoningTokens = maxReasoningTokens
        self.seed = seed
        self.codeGrader = codeGrader
        self.keepTraces = keepTraces
    }

    /// The tokens a question may spend under a setting at most (`ReasoningConfiguration.plannedTokens`
    /// of the configuration `run` uses): the weight the progress line's ETA gives it.
    public func plannedTokens(for problem: EvalProblem, setting: EvalSetting) -> Double {
        Double((try? configuration(for: problem, setting: setting, seed: seed))?.plannedTokens ?? 0)
    }

    /// The reasoning configuration a problem runs with under a setting.
    func configuration(for problem: EvalProblem, setting: EvalSetting, seed: UInt32) throws -> ReasoningConfiguration {
        let isCode = problem.kind == .code
        return try ReasoningConfiguration(
            effort: setting.effort, strategy: setting.strategy, samples: samples, maxReasoningTokens: maxReasoningTokens,
            maxAnswerTokens: isCode ? Self.codeAnswerTokens : 96, seed: seed, tools: tools,
            answerForm: isCode ? .block : .line, confidence: confidence, trainedVerifier: trainedVerifier)
    }

    /// The text the model is asked for a problem: the question, or for code an instruction and the prompt.
    public static func question(for problem: EvalProblem) -> String {
        guard problem.kind == .code, let task = problem.code else { return problem.question }
        return "Complete this Python function. Write the whole function in one ```python code block.\n\n" + task.prompt
    }

    /// Evaluates one problem under one setting.
    public func run(_ problem: EvalProblem, index: Int, setting: EvalSetting) async throws -> EvalRecord {
        let problemSeed = seed &+ UInt32(truncatingIfNeeded: index)
        let isCode = problem.kind == .code
        let configuration = try configuration(for: problem, setting: setting, seed: problemSeed)
        let question = Self.question(for: problem)
        let started = Date()
        let trace = try await reasoner.answer(question, configuration: configuration)
        let seconds = Date().timeIntervalSince(started)

        let correct: Bool
        var chainResults: [Bool]
        var extracted = trace.extractedAnswer
        if isCode, let task = problem.code {
            // Code answers are blocks (to the end of the turn). A chain whose answer holds no code
            // but whose reasoning does is graded on its whole text; `direct` answers are whole completions.
            let chosen = trace.samples.first { $0.answer == trace.answer } ?? trace.samples.first
            let candidate = chosen.map(Self.codeCandidate) ?? trace.answer
            extracted = CodeGrader.extractCode(from: candidate)
            correct = try await gradeCode(candidate, task: task)
            chainResults = []
            for chain in trace.samples where trace.samples.count > 1 {
                chainResults.append(try await gradeCode(Self.codeCandidate(chain), task: task))
            }
        } else {
            (correct, chainResults) = Self.grade(trace, against: problem)
        }
        if chainResults.isEmpty { chainResults = [correct] }
        var traceJSON: String?
        if keepTraces {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            traceJSON = String(decoding: try encoder.encode(trace), as: UTF8.self)
        }
        return EvalRecord(
            problemID: problem.id, setting: setting, promptHash: PromptHash.of(question), seed: problemSeed,
            extractedAnswer: extracted, expected: problem.expected, correct: correct,
            anyChainCorrect: chainResults.contains(true) || correct,
            samplesCorrect: chainResults.filter { $0 }.count, samplesTotal: chainResults.count,
            reasoningTokens: trace.usage.reasoningTokens, answerTokens: trace.usage.answerTokens,
            seconds: seconds, traceJSON: traceJSON, template: problem.template)
    }

    /// Grades a non-code trace against the problem's expected answer: the final answer (its
    /// extracted form, else its text) and, when there are several chains, each chain's extracted answer.
    static func grade(_ trace: ReasoningTrace, against problem: EvalProblem) -> (correct: Bool, chains: [Bool]) {
        let kind = problem.kind.answerKind ?? .text
        let equivalence = AnswerEquivalence.standard
        func grade(_ candidate: String?) -> Bool {
            guard let candidate else { return false }
            return equivalence.equivalent(candidate, problem.expected, kind: kind, question: problem.question)
        }
        let correct = grade(trace.extractedAnswer ?? trace.answer)
        return (correct, trace.samples.count > 1 ? trace.samples.map { grade($0.extractedAnswer) } : [])
    }

    /// A stored result graded again against `problem`'s (changed) expected answer, from its stored
    /// trace, without asking the model anything: the same rule `run` grades with.
    /// - Throws: `EvalStoreError.cannotRegrade` for a code problem (graded by running tests, not by
    ///   an expected answer) or a record whose trace was not kept.
    public func regrade(_ record: EvalRecord, against problem: EvalProblem, run id: String) throws(EvalStoreError) -> EvalRecord {
        guard problem.kind != .code else {
            throw .cannotRegrade(id: id, problemID: problem.id, reason: "code is graded by its tests, not by an expected answer")
        }
        guard let json = record.traceJSON, let trace = try? JSONDecoder().decode(ReasoningTrace.self, from: Data(json.utf8)) else {
            throw .cannotRegrade(id: id, problemID: problem.id, reason: "its reasoning trace was not stored")
        }
        var (correct, chains) = Self.grade(trace, against: problem)
        if chains.isEmpty { chains = [correct] }
        var regraded = record
        regraded.expected = problem.expected
        regraded.correct = correct
        regraded.anyChainCorrect = chains.contains(true) || correct
        regraded.samplesCorrect = chains.filter { $0 }.count
        regraded.samplesTotal = chains.count
        return regraded
    }

    /// The text a chain's code is read from: its answer when that holds code (a fence or a `def`),
    /// else its reasoning and answer together.
    static func codeCandidate(_ chain: ReasoningChain) -> String {
        if chain.answer.contains("```") || chain.answer.contains("def ") || chain.answer.contains("return ") {
            return chain.answer
        }
        return chain.reasoning + "\n" + chain.answer
    }

    private func gradeCode(_ answer: String, task: CodeTask) async throws -> Bool {
        guard let codeGrader else { return false }
        return try await codeGrader.passes(answer, task: task)
    }
}
