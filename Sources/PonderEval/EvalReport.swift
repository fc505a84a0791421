import Foundation

/// `report.md` (the table) and `accuracy-vs-compute.svg` (the chart) for one run, written into a directory.
public struct EvalReport: Sendable {
    /// The run.
    public let info: EvalRunInfo
    /// One summary per setting.
    public let summaries: [EvalSummary]
    /// Wall time of the whole run in seconds, when known.
    public let wallSeconds: Double?

    /// The chart's file name.
    public static let chartFile = "accuracy-vs-compute.svg"
    /// The table's file name.
    public static let tableFile = "report.md"

    /// Creates a report.
    public init(info: EvalRunInfo, summaries: [EvalSummary], wallSeconds: Double? = nil) {
        self.info = info
        self.summaries = summaries
        self.wallSeconds = wallSeconds
    }

    /// The Markdown table, one row per setting.
    public var table: String {
        var lines = [
            "| setting | n | accuracy | 95% CI | pass@1 | any chain (pass@k) | reasoning tok | answer tok | s/question | tok/s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for s in summaries {
            let passAt1 = s.passAt1.map { String(format: "%.1f%%", 100 * $0) } ?? "–"
            let anyChain = s.samples > 1 ? String(format: "%.1f%% (k=%d)", 100 * s.anyChainAccuracy, s.samples) : "–"
            lines.append(String(format: "| %@ | %d | %.1f%% | %.0f–%.0f%% | %@ | %@ | %.0f | %.0f | %.2f | %.0f |",
                                s.setting.description, s.count, 100 * s.accuracy, 100 * s.interval.lowerBound,
                                100 * s.interval.upperBound, passAt1, anyChain, s.meanReasoningTokens, s.meanAnswerTokens,
                                s.meanSeconds, s.tokensPerSecond))
        }
        return lines.joined(separator: "\n")
    }

    /// The whole `report.md`.
    public var markdown: String {
        var text = "# Evaluation \(info.id)\n\n"
        text += "- model: `\(info.model.name)` (\(info.model.digest.isEmpty ? "content hash not recorded" : info.model.digest))\n"
        text += "- prompt: \(info.prompt.isEmpty ? "not recorded" : info.prompt)\n- problems: \(info.dataset)\n- seed: \(info.seed)\n"
        text += "- samples: \(info.samples.map(String.init) ?? "per effort"), reasoning budget: \(info.maxReasoningTokens.map(String.init) ?? "per effort")\n"
        text += "- tools: \(info.tools.isEmpty ? "none" : info.tools.joined(separator: ", "))\n"
        if !info.sandbox.isEmpty { text += "- code sandbox: \(info.sandbox)\n" }
        if let wallSeconds { text += "- wall time: \(EvalProgress.duration(wallSeconds))\n" }
        text += "\n" + table + "\n\n![accuracy vs compute](\(Self.chartFile))\n\n"
        text += "Accuracy is the final answer graded against the reference (95% Wilson interval); pass@1 is the unbiased "
        text += "estimator over every chain (Chen et al. 2021); tokens are means per question.\n"
        return text
    }

    /// Writes `report.md` and the chart into `directory` (created if needed); returns the two paths.
    @discardableResult
    public func write(to directory: String) throws -> (table: String, chart: String) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let tablePath = (directory as NSString).appendingPathComponent(Self.tableFile)
        let chartPath = (directory as NSString).appendingPathComponent(Self.chartFile)
        try markdown.write(toFile: tablePath, atomically: true, encoding: .utf8)
        let chart = AccuracyChart(summaries: summaries, title: "Accuracy vs compute — \(info.model.name), \(info.dataset)")
        try chart.svg().write(toFile: chartPath, atomically: true, encoding: .utf8)
        return (tablePath, chartPath)
    }
}
