import ArgumentParser
@testable import PonderCLI
import PonderCore
import Testing

@Suite struct ParseTests {
    @Test func askParsesEveryFlag() throws {
        let command = try PonderCommand.parseAsRoot([
            "ask", "What is 2 + 2?", "--system", "Be brief.", "--model", "/tmp/m.gguf", "--threads", "3",
            "--context", "2048", "--max-sequences", "4", "--temperature", "0.7", "--top-p", "0.9", "--top-k", "40",
            "--min-p", "0.05", "--repeat-penalty", "1.1", "--seed", "9", "--max-tokens", "64", "--stop", "END", "--stop", "###",
        ])
        let ask = try #require(command as? AskCommand)
        #expect(ask.question == "What is 2 + 2?")
        #expect(ask.system == "Be brief.")
        let engine = try ask.modelOptions.engineConfiguration()
        #expect(engine.modelPath == "/tmp/m.gguf")
        #expect(engine.threads == 3 && engine.contextLength == 2048 && engine.maxSequences == 4)
        let sampling = try ask.samplingOptions.parameters()
        #expect(sampling.temperature == 0.7 && sampling.topP == 0.9 && sampling.topK == 40)
        #expect(sampling.minP == 0.05 && sampling.repetitionPenalty == 1.1 && sampling.seed == 9)
        #expect(sampling.maxTokens == 64 && sampling.stop == ["END", "###"])
    }

    @Test(arguments: [
        ["ask", "hi", "--temperature", "-1"],
        ["ask", "hi", "--top-p", "0"],
        ["ask", "hi", "--max-tokens", "0"],
        ["ask", "hi", "--threads", "0"],
        ["ask", "hi", "--max-sequences", "1000"],
        ["ask", "   "],
        ["bench", "--sequences", "0"],
        ["bench", "--sequences", "4", "--max-sequences", "2"],
    ])
    func badValuesAreValidationErrors(arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try PonderCommand.parseAsRoot(arguments) }
        let message = PonderCommand.message(for: ValidationError("x"))
        #expect(!message.isEmpty)
    }

    @Test func benchParsesItsFlags() throws {
        let command = try PonderCommand.parseAsRoot([
            "bench", "--sequences", "1", "8", "--prompt-tokens", "64", "--generate-tokens", "32",
            "--temperature", "0", "--repetitions", "2", "--json",
        ])
        let bench = try #require(command as? BenchCommand)
        #expect(bench.sequences == [1, 8])
        #expect(bench.promptTokens == 64 && bench.generateTokens == 32)
        #expect(bench.temperature == 0 && bench.repetitions == 2 && bench.json)
    }

    @Test func infoParses() throws {
        let command = try PonderCommand.parseAsRoot(["info", "--json", "--model", "/x.gguf"])
        let info = try #require(command as? InfoCommand)
        #expect(info.json && info.modelOptions.modelPath == "/x.gguf")
    }
}
