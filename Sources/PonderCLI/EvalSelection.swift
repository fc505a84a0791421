import ArgumentParser
import Foundation
import PonderEval
import PonderReasoning

/// `ponder eval select RUN`: selection rules applied again to exactly the chains a run stored, so
/// they cost the same tokens and differ only in how they pick: majority, confident-vote at η 0.9
/// and 0.1, the run's stored scores (P("Yes") in a best-of-n run), a trained verifier, and any
/// chain (the bound a perfect verifier reaches). Grading is the run's own rule.
struct EvalSelection {
    let store: EvalStore
    let runID: String
    let problems: [EvalProblem]
    let verifier: TrainedVerifier?
    /// The problems' source as the options describe it; it must be the run's.
    let dataset: String

    /// The rules compared, with their names.
    var rules: [(name: String, rule: ChainSelection)] {
        var rules: [(String, ChainSelection)] = [
            ("majority", .majority), ("confident-vote η=0.9", .confidentVote(keepFraction: 0.9)),
            ("confident-vote η=0.1", .confidentVote(keepFraction: 0.1)), ("stored score (best-of-n)", .storedScore),
        ]
        if let verifier {
            rules.append(("trained verifier (best-of-n)", .trainedVerifier(verifier)))
            rules.append(("trained verifier vote η=0.9", .verifierVote(verifier, keepFraction: 0.9)))
            rules.append(("trained verifier vote η=0.5", .verifierVote(verifier, keepFraction: 0.5)))
        }
        return rules
    }

    func print() async throws {
        let (run, only) = try EvalComparison.parse(runID)
        let info = try await store.run(id: run)
        guard info.dataset == dataset else {
            throw ValidationError("run \(run) was made on '\(info.dataset)', not on '\(dataset)': give the run's own problem options")
        }
        let byID = Dictionary(problems.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let grouped = Dictionary(grouping: try await store.records(run: run), by: \.setting)
        let settings = grouped.keys.filter { only == nil || $0 == only }.sorted()
        guard !settings.isEmpty else { throw ValidationError("run \(runID) has no results") }
        for setting in settings { try table(run: run, setting: setting, records: grouped[setting] ?? [], problems: byID) }
    }

    /// One setting's table: each rule's accuracy over the same stored chains.
    private func table(run: String, setting: EvalSetting, records: [EvalRecord], problems byID: [String: EvalProblem]) throws {
        let rules = self.rules
        var right = Array(repeating: 0, count: rules.count)
        var any = 0, asRun = 0, graded = 0, tokens = 0, chains = 0
        for record in records {
            guard let problem = byID[record.problemID] else {
                throw ValidationError("run \(run) has problem \(record.problemID), which these problem options do not make: give the run's own --generate/--dataset options")
            }
            guard problem.kind != .code, let json = record.traceJSON,
                  let trace = try? JSONDecoder().decode(ReasoningTrace.self, from: Data(json.utf8)) else { continue }
            graded += 1
            tokens += record.totalTokens
            chains += trace.samples.count
            if record.correct { asRun += 1 }
            let question = EvalRunner.question(for: problem)
            let kind = problem.kind.answerKind ?? .text
            func grade(_ answer: String?) -> Bool {
                answer.map { AnswerEquivalence.standard.equivalent($0, problem.expected, kind: kind, question: problem.question) } ?? false
            }
            for (index, entry) in rules.enumerated() where grade(entry.rule.answer(from: trace.samples, question: question)) { right[index] += 1 }
            if trace.samples.contains(where: { grade($0.extractedAnswer) }) { any += 1 }
        }
        guard graded > 0 else { throw ValidationError("run \(run) stored no traces for \(setting) to select from") }
        Swift.print("\(run):\(setting): \(graded) problems, \(String(format: "%.1f", Double(chains) / Double(graded))) chains and \(tokens / graded) tokens each (the same for every rule)")
        Swift.print("| rule | accuracy | 95% CI |")
        Swift.print("|---|---:|---:|")
        Swift.print(Self.row("as run (\(setting.strategy.rawValue))", asRun, graded))
        for (index, entry) in rules.enumerated() { Swift.print(Self.row(entry.name, right[index], graded)) }
        Swift.print(Self.row("any chain", any, graded))
    }

    static func row(_ name: String, _ right: Int, _ total: Int) -> String {
        let interval = EvalSummary.wilson(successes: right, trials: total)
        return String(format: "| %@ | %.1f%% (%d/%d) | %.1f–%.1f%% |", name, 100 * Double(right) / Double(total), right, total,
                      100 * interval.lowerBound, 100 * interval.upperBound)
    }
}
