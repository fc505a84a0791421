import ArgumentParser
import Foundation
import PonderEval

/// `ponder eval chart [LABEL=]RUN[:strategy@effort] … --report DIR`: several stored runs on the
/// same problems drawn as one accuracy-vs-compute chart, each point named by its label, with a
/// table of every point. Points of one strategy are joined in order of effort, then tokens.
struct EvalChart {
    let store: EvalStore
    /// The points as given on the command line.
    let points: [String]
    /// Where report.md and the chart go.
    let directory: String

    /// One point asked for: a label, a run, and optionally one of its settings.
    struct Point {
        var label: String?
        var run: String
        var setting: EvalSetting?
    }

    /// Splits `[LABEL=]RUN[:strategy@effort]`. A text that is itself a stored run's name is that
    /// run, so run names holding `=` stay usable.
    static func parse(_ text: String, runs: Set<String>) throws -> Point {
        if !runs.contains(text), let equals = text.firstIndex(of: "=") {
            let label = String(text[..<equals]), rest = String(text[text.index(after: equals)...])
            guard !label.isEmpty, !rest.isEmpty else {
                throw ValidationError("'\(text)' is not [LABEL=]RUN[:strategy@effort] (for example sc8=run1:self-consistency@high)")
            }
            let (run, setting) = try EvalComparison.parse(rest)
            return Point(label: label, run: run, setting: setting)
        }
        let (run, setting) = try runs.contains(text) ? (text, nil) : EvalComparison.parse(text)
        return Point(label: nil, run: run, setting: setting)
    }

    /// The summaries and their labels, in the order asked for.
    func collect() async throws -> (infos: [EvalRunInfo], summaries: [EvalSummary], labels: [String], runs: [String]) {
        let runs = Set(try await store.runIDs())
        var infos: [EvalRunInfo] = [], summaries: [EvalSummary] = [], labels: [String] = [], runOf: [String] = []
        for text in points {
            let point = try Self.parse(text, runs: runs)
            guard runs.contains(point.run) else { throw ValidationError("no run named '\(point.run)' in this database") }
            let info = try await store.run(id: point.run)
            if let first = infos.first, first.dataset != info.dataset {
                throw ValidationError("run \(point.run) was made on '\(info.dataset)', not on '\(first.dataset)': one chart holds one problem set")
            }
            let grouped = Dictionary(grouping: try await store.records(run: point.run), by: \.setting)
            let settings = grouped.keys.filter { point.setting == nil || $0 == point.setting }.sorted()
            guard !settings.isEmpty else {
                throw ValidationError("run \(point.run) has no results\(point.setting.map { " for \($0)" } ?? "")")
            }
            for setting in settings {
                summaries.append(EvalSummary(setting: setting, records: grouped[setting] ?? []))
                let name = point.label ?? point.run
                labels.append(settings.count > 1 ? "\(name) \(setting)" : name)
                runOf.append(point.run)
            }
            infos.append(info)
        }
        return (infos, summaries, labels, runOf)
    }

    func write() async throws {
        let (infos, summaries, labels, runs) = try await collect()
        guard let info = infos.first else { throw ValidationError("chart takes at least one run") }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let chart = AccuracyChart(summaries: summaries, title: "Accuracy vs compute — \(info.model.name), \(info.dataset)", labels: labels)
        let chartPath = (directory as NSString).appendingPathComponent(EvalReport.chartFile)
        let tablePath = (directory as NSString).appendingPathComponent(EvalReport.tableFile)
        try chart.svg().write(toFile: chartPath, atomically: true, encoding: .utf8)
        var text = "# Accuracy vs compute: \(infos.count) runs\n\n- model: `\(info.model.name)`\n- problems: \(info.dataset)\n\n"
        text += "| point | run | setting | n | accuracy | 95% CI | any chain | reasoning tok | answer tok | s/question |\n"
        text += "|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for (index, s) in summaries.enumerated() {
            let anyChain = s.samples > 1 ? String(format: "%.1f%%", 100 * s.anyChainAccuracy) : "–"
            text += String(format: "| %@ | %@ | %@ | %d | %.1f%% | %.0f–%.0f%% | %@ | %.0f | %.0f | %.2f |\n", labels[index], runs[index],
                           s.setting.description, s.count, 100 * s.accuracy, 100 * s.interval.lowerBound,
                           100 * s.interval.upperBound, anyChain, s.meanReasoningTokens, s.meanAnswerTokens, s.meanSeconds)
        }
        text += "\n![accuracy vs compute](\(EvalReport.chartFile))\n"
        try text.write(toFile: tablePath, atomically: true, encoding: .utf8)
        print(text, terminator: "")
        Terminal.error("wrote \(tablePath) and \(chartPath)\n")
    }
}
