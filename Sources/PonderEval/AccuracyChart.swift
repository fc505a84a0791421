import Foundation
import PonderReasoning

/// The accuracy-vs-compute chart o1 made famous, drawn as SVG by hand: accuracy (%) up, mean
/// tokens per question (reasoning + answer) across on a log scale, one line per strategy through
/// its efforts, one point per effort with its 95% interval, labelled axes and a legend.
///
/// ```swift
/// let svg = AccuracyChart(summaries: summaries, title: "arithmetic, SmolLM2-135M").svg()
/// try svg.write(toFile: "accuracy-vs-compute.svg", atomically: true, encoding: .utf8)
/// ```
public struct AccuracyChart: Sendable {
    /// The summaries drawn, one point each.
    public let summaries: [EvalSummary]
    /// The chart's title.
    public let title: String
    /// A name per point, drawn next to it (parallel to `summaries`); nil draws the effort.
    public let labels: [String]?

    static let width = 800.0, height = 500.0
    static let left = 80.0, right = 190.0, top = 56.0, bottom = 70.0
    static let palette: [StrategyKind: String] = [
        .direct: "#6b7280", .cot: "#2563eb", .selfConsistency: "#16a34a", .bestOfN: "#dc2626", .checkAndRevise: "#9333ea",
        .tools: "#ea580c", .confidentVote: "#0891b2",
    ]

    /// Creates a chart of `summaries`, each point named by its effort or, when given, by the
    /// label at its index in `labels` (a point past the end of `labels` is named by its effort).
    public init(summaries: [EvalSummary], title: String, labels: [String]? = nil) {
        self.summaries = summaries
        self.title = title
        self.labels = labels
    }

    /// The label drawn next to the point at `index`.
    func label(at index: Int) -> String {
        labels.flatMap { index < $0.count ? $0[index] : nil } ?? summaries[index].setting.effort.rawValue
    }

    /// The strategies drawn, in legend order.
    public var strategies: [StrategyKind] {
        StrategyKind.allCases.filter { strategy in summaries.contains { $0.setting.strategy == strategy } }
    }

    /// The decades the x axis spans, as powers of ten: at least one decade, covering every point.
    var decades: ClosedRange<Int> {
        let tokens = summaries.map { max($0.meanTotalTokens, 1) }
        let low = Int(floor(log10(tokens.min() ?? 1)))
        var high = Int(ceil(log10(tokens.max() ?? 10)))
        if high <= low { high = low + 1 }
        return low...high
    }

    func x(_ tokens: Double) -> Double {
        let span = decades
        let fraction = (log10(max(tokens, 1)) - Double(span.lowerBound)) / Double(span.upperBound - span.lowerBound)
        return Self.left + fraction * (Self.width - Self.left - Self.right)
    }

    func y(_ accuracy: Double) -> Double {
        Self.top + (1 - accuracy) * (Self.height - Self.top - Self.bottom)
    }

    /// The SVG document.
    public func svg() -> String {
        let plotRight = Self.width - Self.right, plotBottom = Self.height - Self.bottom
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(Self.height))" \
        viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(Self.width / 2))" y="28" text-anchor="middle" font-size="16" font-weight="bold">\(escape(title))</text>

        """
        // Grid and ticks: accuracy every 10%, tokens at 1, 2 and 5 per decade.
        for step in 0...10 {
            let value = Double(step) / 10, py = y(value)
            out += "<line x1=\"\(f(Self.left))\" y1=\"\(f(py))\" x2=\"\(f(plotRight))\" y2=\"\(f(py))\" stroke=\"#e5e7eb\"/>\n"
            out += "<text x=\"\(f(Self.left - 8))\" y=\"\(f(py + 4))\" text-anchor=\"end\">\(step * 10)%</text>\n"
        }
        for decade in decades {
            for multiple in [1.0, 2.0, 5.0] {
                let value = multiple * pow(10, Double(decade))
                guard decade < decades.upperBound || multiple == 1 else { continue }
                let px = x(value)
                out += "<line x1=\"\(f(px))\" y1=\"\(f(Self.top))\" x2=\"\(f(px))\" y2=\"\(f(plotBottom))\" stroke=\"\(multiple == 1 ? "#d1d5db" : "#f3f4f6")\"/>\n"
                out += "<text x=\"\(f(px))\" y=\"\(f(plotBottom + 18))\" text-anchor=\"middle\"\(multiple == 1 ? "" : " fill=\"#6b7280\" font-size=\"10\"")>\(Self.tokenLabel(value))</text>\n"
            }
        }
        out += "<rect x=\"\(f(Self.left))\" y=\"\(f(Self.top))\" width=\"\(f(plotRight - Self.left))\" height=\"\(f(plotBottom - Self.top))\" fill=\"none\" stroke=\"#374151\"/>\n"
        out += "<text class=\"axis-label\" x=\"\(f((Self.left + plotRight) / 2))\" y=\"\(f(Self.height - 22))\" text-anchor=\"middle\" font-size=\"13\">Compute: mean tokens per question (reasoning + answer, log scale)</text>\n"
        out += "<text class=\"axis-label\" x=\"22\" y=\"\(f((Self.top + plotBottom) / 2))\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 22 \(f((Self.top + plotBottom) / 2)))\">Accuracy (%, 95% interval)</text>\n"

        for (row, strategy) in strategies.enumerated() {
            let color = Self.palette[strategy] ?? "#000000"
            // A strategy's points in effort order, then by tokens (several runs at one effort).
            let points = summaries.indices.filter { summaries[$0].setting.strategy == strategy }
                .map { (index: $0, summary: summaries[$0]) }
                .sorted { a, b in
                    let ea = Effort.allCases.firstIndex(of: a.summary.setting.effort)!, eb = Effort.allCases.firstIndex(of: b.summary.setting.effort)!
                    return ea != eb ? ea < eb : a.summary.meanTotalTokens < b.summary.meanTotalTokens
                }
            let d = points.enumerated().map { index, point in
                "\(index == 0 ? "M" : "L")\(f(x(point.summary.meanTotalTokens))) \(f(y(point.summary.accuracy)))"
            }
                .joined(separator: " ")
            out += "<g class=\"strategy\" data-strategy=\"\(strategy.rawValue)\">\n"
            out += "<path class=\"series\" data-strategy=\"\(strategy.rawValue)\" d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            for (index, s) in points {
                let px = x(s.meanTotalTokens)
                out += "<line x1=\"\(f(px))\" y1=\"\(f(y(s.interval.lowerBound)))\" x2=\"\(f(px))\" y2=\"\(f(y(s.interval.upperBound)))\" stroke=\"\(color)\" stroke-opacity=\"0.45\"/>\n"
                out += "<circle cx=\"\(f(px))\" cy=\"\(f(y(s.accuracy)))\" r=\"4\" fill=\"\(color)\"><title>\(escape(s.setting.description)): \(f(100 * s.accuracy))% at \(f(s.meanTotalTokens)) tokens (n=\(s.count))</title></circle>\n"
                out += "<text x=\"\(f(px + 6))\" y=\"\(f(y(s.accuracy) - 6))\" fill=\"\(color)\" font-size=\"10\">\(escape(label(at: index)))</text>\n"
            }
            out += "</g>\n"
            let ly = Self.top + 14 + Double(row) * 22, lx = plotRight + 16
            out += "<line class=\"legend\" x1=\"\(f(lx))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 24))\" y2=\"\(f(ly))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            out += "<circle cx=\"\(f(lx + 12))\" cy=\"\(f(ly))\" r=\"4\" fill=\"\(color)\"/>\n"
            out += "<text class=\"legend\" x=\"\(f(lx + 32))\" y=\"\(f(ly + 4))\">\(strategy.rawValue)</text>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// `1`, `20`, `500`, `2k`, `10k`.
    static func tokenLabel(_ value: Double) -> String {
        if value >= 1000 {
            let k = value / 1000
            return k == k.rounded() ? "\(Int(k))k" : String(format: "%.1fk", k)
        }
        return value >= 1 ? "\(Int(value.rounded()))" : String(format: "%.1f", value)
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
