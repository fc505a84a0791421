import ArgumentParser
import Foundation
@testable import PonderCLI
import PonderEval
import Testing

@Suite struct ProblemOptionsTests {
    /// The problem descriptions stored with eval runs, as the binary before `ProblemSource` wrote
    /// them: a run is found again (and resumes) only if these stay byte for byte the same.
    @Test(arguments: [
        (["--dataset", "data/gsm8k_test.jsonl"], "data/gsm8k_test.jsonl"),
        (["--dataset", "data/gsm8k_test.jsonl.gz", "--limit", "25"], "data/gsm8k_test.jsonl.gz (first 25)"),
        (["--generate", "arithmetic"], "generated arithmetic count=50 seed=0"),
        (["--generate", "arithmetic", "--count", "10", "--limit", "4", "--seed", "7"], "generated arithmetic count=4 seed=7"),
        (["--generate", "arithmetic", "--count", "3", "--limit", "9"], "generated arithmetic count=3 seed=0"),
        (["--generate", "word-problems", "--difficulty", "3", "--seed", "2"], "generated word-problems count=50 seed=2 difficulty=3"),
        (["--generate", "word-problems", "--digits", "2", "--operators", "+"], "generated word-problems count=50 seed=0"),
        (["--generate", "arithmetic", "--digits", "2"], "generated arithmetic count=50 seed=0 digits=2 operations=1 operators=+,-,×,÷"),
        (["--generate", "arithmetic", "--digits", "3", "--operations", "2", "--operators", "+, ×", "--difficulty", "4", "--count", "20"],
         "generated arithmetic count=20 seed=0 difficulty=4 digits=3 operations=2 operators=+, ×"),
        (["--generate", "arithmetic", "--operators", "÷"], "generated arithmetic count=50 seed=0"),
    ])
    func evalRunDescriptionsAreUnchanged(arguments: [String], stored: String) throws {
        let eval = try #require(try PonderCommand.parseAsRoot(["eval"] + arguments) as? EvalCommand)
        #expect(eval.problemSource == stored)
    }

    @Test func operatorsNamingNoneAreRefusedInTheFlagsWords() throws {
        let eval = try #require(try PonderCommand.parseAsRoot(["eval", "--generate", "arithmetic", "--digits", "2", "--operators", "plus"])
                                as? EvalCommand)
        #expect(throws: (any Error).self) { try eval.problems() }
        do { _ = try eval.problems() } catch { #expect("\(error)" == "--operators names none of + - × ÷") }

        let star = try #require(try PonderCommand.parseAsRoot(["train", "star", "--task", "arithmetic", "--digits", "1", "--operators", "x",
                                                               "--out", "/tmp/r"]) as? TrainStarCommand)
        do { _ = try star.problems(); Issue.record("expected an error") } catch { #expect("\(error)" == "--operators names none of + - × ÷") }
    }

    @Test func operatorsAreOnlyReadForShapedArithmetic() throws {
        // Without --digits the graded levels are used and --operators is not looked at (as before).
        let eval = try #require(try PonderCommand.parseAsRoot(["eval", "--generate", "arithmetic", "--operators", "plus", "--count", "3"])
                                as? EvalCommand)
        let expected = try ProblemGenerator(family: .arithmetic, seed: 0).generate(count: 3)
        #expect(try eval.problems() == expected)
    }

    @Test func trainStarSharesTheProblemOptions() throws {
        let star = try #require(try PonderCommand.parseAsRoot([
            "train", "star", "--task", "word-problems", "--difficulty", "3", "--count", "5", "--heldout-count", "4", "--out", "/tmp/r",
        ]) as? TrainStarCommand)
        #expect(star.problemOptions.difficulty == 3 && star.problemOptions.operators == "+,-,×,÷" && star.problemOptions.operations == 1)
        let (train, heldOut, test) = try star.problems()
        #expect(test.isEmpty)
        let expected = try ProblemGenerator(family: .wordProblems, seed: 2).generate(count: 4, difficulty: 3)
        #expect(heldOut == expected)
        #expect(train.count == 5 && train.allSatisfy { $0.difficulty == 3 })
    }

    @Test func datasetErrorsKeepTheirMessage() throws {
        let eval = try #require(try PonderCommand.parseAsRoot(["eval", "--dataset", "/nonexistent/p.jsonl"]) as? EvalCommand)
        do { _ = try eval.problems(); Issue.record("expected an error") } catch {
            #expect("\(error)" == DatasetError.fileNotFound(path: "/nonexistent/p.jsonl").description)
        }
    }
}

@Suite struct JSONOutputTests {
    @Test func printsSortedPrettyJSONWithSlashesAsAsked() throws {
        let value = ["b": "x/y", "a": "1"]
        #expect(try JSONOutput.string(value) == "{\n  \"a\" : \"1\",\n  \"b\" : \"x/y\"\n}")
        #expect(try JSONOutput.string(value, slashes: .escaped) == "{\n  \"a\" : \"1\",\n  \"b\" : \"x\\/y\"\n}")
    }
}
