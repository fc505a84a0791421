import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import PonderEval
import PonderReasoning

@Suite("The accuracy-vs-compute chart")
struct AccuracyChartTests {
    static func summaries() -> [EvalSummary] {
        var result: [EvalSummary] = []
        let strategies: [StrategyKind] = [.direct, .cot, .selfConsistency, .bestOfN]
        for (s, strategy) in strategies.enumerated() {
            for (e, effort) in [Effort.low, .medium, .high].enumerated() {
                let setting = EvalSetting(strategy: strategy, effort: effort)
                let records = (0..<10).map { index in
                    EvalRecord(problemID: "p\(index)", setting: setting, extractedAnswer: nil, expected: "1",
                               correct: index < 2 + s + e, anyChainCorrect: true,
                               reasoningTokens: strategy == .direct ? 0 : 40 * (s + 1) * (e + 1) * (e + 1), answerTokens: 6, seconds: 1)
                }
                result.append(EvalSummary(setting: setting, records: records))
            }
        }
        return result
    }

    @Test("the SVG parses as XML, with one path per strategy, labelled axes and a legend")
    func svgStructure() throws {
        let svg = AccuracyChart(summaries: Self.summaries(), title: "test <chart> & more").svg()
        let document = try XMLDocument(xmlString: svg)
        let root = try #require(document.rootElement())
        #expect(root.name == "svg")
        let paths = try root.nodes(forXPath: "//*[local-name()='path'][@class='series']").compactMap { $0 as? XMLElement }
        #expect(paths.count == 4)
        func attribute(_ element: XMLElement, _ name: String) -> String? {
            element.attributes?.first { $0.name == name || $0.localName == name }?.stringValue
        }
        #expect(Set(paths.compactMap { attribute($0, "data-strategy") })
                == ["direct", "cot", "self-consistency", "best-of-n"])
        // Each path goes through three points: one move and two lines.
        for path in paths {
            let d = attribute(path, "d") ?? ""
            #expect(d.filter { $0 == "M" }.count == 1 && d.filter { $0 == "L" }.count == 2, "\(d)")
        }
        let labels = try root.nodes(forXPath: "//*[local-name()='text'][@class='axis-label']").map { $0.stringValue ?? "" }
        #expect(labels.count == 2)
        #expect(labels.contains { $0.contains("Accuracy") })
        #expect(labels.contains { $0.contains("tokens") && $0.contains("log scale") })
        let legend = try root.nodes(forXPath: "//*[local-name()='text'][@class='legend']").map { $0.stringValue ?? "" }
        #expect(legend == ["direct", "cot", "self-consistency", "best-of-n"])
        let circles = try root.nodes(forXPath: "//*[local-name()='g']/*[local-name()='circle']")
        #expect(circles.count == 12)
        #expect(svg.contains("test &lt;chart&gt; &amp; more"))
    }

    @Test("the compute axis is logarithmic: equal token ratios are equal distances")
    func logScale() {
        let chart = AccuracyChart(summaries: Self.summaries(), title: "t")
        let a = chart.x(10), b = chart.x(100), c = chart.x(1000)
        #expect(abs((b - a) - (c - b)) < 1e-9)
        #expect(chart.y(1) < chart.y(0))
        #expect(AccuracyChart.tokenLabel(2000) == "2k" && AccuracyChart.tokenLabel(50) == "50")
    }

    @Test("the report writes report.md with the table and the chart file")
    func reportFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ponder-report-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let info = EvalRunInfo(model: .test("m.gguf"), prompt: "instruct@1", dataset: "generated arithmetic", seed: 1)
        let paths = try EvalReport(info: info, summaries: Self.summaries(), wallSeconds: 75).write(to: directory)
        let markdown = try String(contentsOfFile: paths.table, encoding: .utf8)
        #expect(markdown.contains("| cot@medium | 10 |"))
        #expect(markdown.contains("accuracy-vs-compute.svg"))
        #expect(markdown.contains("wall time: 1m15s"))
        #expect(markdown.contains("sha256:aa") && markdown.contains("prompt: instruct@1"))
        #expect(FileManager.default.fileExists(atPath: paths.chart))
    }

    @Test("labelled points of one strategy at one effort are named by their labels and joined in token order")
    func labelledPoints() throws {
        func summary(_ strategy: StrategyKind, correct: Int, tokens: Int) -> EvalSummary {
            let setting = EvalSetting(strategy: strategy, effort: .high)
            return EvalSummary(setting: setting, records: (0..<10).map { index in
                EvalRecord(problemID: "p\(index)", setting: setting, extractedAnswer: nil, expected: "1", correct: index < correct,
                           anyChainCorrect: true, reasoningTokens: tokens, answerTokens: 0, seconds: 1)
            })
        }
        // Given out of token order: 800, 100, 400 tokens of self-consistency, and one best-of-n point.
        let points = [summary(.selfConsistency, correct: 6, tokens: 800), summary(.selfConsistency, correct: 2, tokens: 100),
                      summary(.selfConsistency, correct: 5, tokens: 400), summary(.bestOfN, correct: 7, tokens: 800)]
        let chart = AccuracyChart(summaries: points, title: "t", labels: ["sc8", "sc1", "sc4 <&>"])
        let root = try #require(try XMLDocument(xmlString: chart.svg()).rootElement())
        let texts = try root.nodes(forXPath: "//*[local-name()='g']/*[local-name()='text']").map { $0.stringValue ?? "" }
        // The label list is one short: the fourth point is named by its effort.
        #expect(texts == ["sc1", "sc4 <&>", "sc8", "high"])
        let path = try #require(try root.nodes(forXPath: "//*[local-name()='path'][@data-strategy='self-consistency']").first as? XMLElement)
        let d = path.attributes?.first { $0.name == "d" }?.stringValue ?? ""
        let xs = d.split(whereSeparator: { $0 == "M" || $0 == "L" }).compactMap { Double($0.split(separator: " ")[0]) }
        #expect(xs == [chart.x(100), chart.x(400), chart.x(800)].map { (10 * $0).rounded() / 10 })
    }
}
