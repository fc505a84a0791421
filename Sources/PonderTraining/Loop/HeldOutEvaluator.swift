import Foundation
import PonderCore
import PonderEval
import PonderReasoning

/// Measures a model on the held-out problems with the eval harness (`EvalRunner`), the strategy
/// fixed to `cot` with greedy decoding, so rounds are compared on equal terms; with the tools the
/// chains were sampled with (the calculator, or none).
public struct HeldOutEvaluator: Sendable {
    /// The held-out problems.
    public let problems: [EvalProblem]
    /// Reasoning-token budget; nil uses effort low's.
    public let maxReasoningTokens: Int?
    /// Tools inside the reasoning.
    public let tools: ToolUse

    /// The setting every model is measured with.
    public static let setting = EvalSetting(strategy: .cot, effort: .low)

    /// Creates an evaluator.
    public init(problems: [EvalProblem], maxReasoningTokens: Int?, tools: ToolUse = .none) {
        self.problems = problems
        self.maxReasoningTokens = maxReasoningTokens
        self.tools = tools
    }

    /// Evaluates `model` (named `name` in the result); records go to `recordsFile` as JSONL.
    public func evaluate(_ model: any LanguageModel, name: String, recordsFile: URL) async throws -> HeldOutResult {
        let runner = EvalRunner(reasoner: Reasoner(model: model), maxReasoningTokens: maxReasoningTokens, seed: 0, tools: tools)
        let started = Date()
        var records: [EvalRecord] = []
        let file = JSONLFile(recordsFile)
        file.remove()   // an evaluation cut short by a kill is run again whole
        for (index, problem) in problems.enumerated() {
            let record = try await runner.run(problem, index: index, setting: Self.setting)
            records.append(record)
            try file.append(record)
        }
        let summary = EvalSummary(setting: Self.setting, records: records)
        return HeldOutResult(model: name, count: summary.count, correct: summary.correct, accuracy: summary.accuracy,
                             low: summary.interval.lowerBound, high: summary.interval.upperBound,
                             meanReasoningTokens: summary.meanReasoningTokens, seconds: Date().timeIntervalSince(started))
    }
}
