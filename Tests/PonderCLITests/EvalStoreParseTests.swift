import PonderEval
import Testing
@testable import PonderCLI

@Suite struct EvalStoreParseTests {
    @Test func storeReportAndRunFlagsParse() throws {
        let command = try PonderCommand.parseAsRoot([
            "eval", "--generate", "word-problems", "--count", "4", "--db", "/tmp/r.sqlite", "--run", "baseline",
            "--report", "/tmp/report", "--efforts", "low",
        ])
        let eval = try #require(command as? EvalCommand)
        #expect(eval.db == "/tmp/r.sqlite" && eval.runName == "baseline" && eval.report == "/tmp/report")
        #expect(eval.action.isEmpty)
        #expect(eval.problemSource.contains("word-problems") && eval.problemSource.contains("count=4"))
    }

    @Test func regradeParsesAndDefaultsOff() throws {
        let plain = try #require(try PonderCommand.parseAsRoot(["eval", "--generate", "arithmetic", "--run", "r"]) as? EvalCommand)
        #expect(!plain.regrade && plain.answerKeyChange == .refuse)
        let regrade = try #require(try PonderCommand.parseAsRoot(["eval", "--dataset", "/tmp/d.jsonl", "--run", "r", "--regrade"]) as? EvalCommand)
        #expect(regrade.regrade && regrade.answerKeyChange == .regrade)
    }

    @Test func compareParsesRunsAndSettings() throws {
        let command = try PonderCommand.parseAsRoot(["eval", "compare", "a:cot@low", "b", "--db", "x.sqlite"])
        let eval = try #require(command as? EvalCommand)
        #expect(eval.action == ["compare", "a:cot@low", "b"])
        #expect(try EvalComparison.parse("a:cot@low").setting?.description == "cot@low")
        #expect(try EvalComparison.parse("b").setting == nil)
    }

    @Test(arguments: [
        ["eval", "compare", "onlyone"],
        ["eval", "compare", "a:magic@low", "b"],
        ["eval", "frobnicate"],
        ["eval", "runs", "extra"],
        ["eval", "--generate", "arithmetic", "--run", ""],
        ["eval", "--generate", "arithmetic", "--run", "a:b"],
        ["eval", "runs", "--regrade"],
        ["eval", "--generate", "arithmetic", "--write", "/tmp/p.jsonl", "--regrade"],
    ])
    func badStoreArgumentsAreUsageErrors(arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try PonderCommand.parseAsRoot(arguments) }
    }
}
