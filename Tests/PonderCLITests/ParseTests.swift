import ArgumentParser
import Foundation
@testable import PonderCLI
import PonderCore
import Testing

@Suite struct ParseTests {
    @Test func generateParsesEveryFlag() throws {
        let command = try PonderCommand.parseAsRoot([
            "generate", "What is 2 + 2?", "--system", "Be brief.", "--model", "/tmp/m.gguf", "--threads", "3",
            "--context", "2048", "--max-sequences", "4", "--temperature", "0.7", "--top-p", "0.9", "--top-k", "40",
            "--min-p", "0.05", "--repeat-penalty", "1.1", "--seed", "9", "--max-tokens", "64", "--stop", "END", "--stop", "###",
        ])
        let ask = try #require(command as? GenerateCommand)
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

    @Test func askParsesEveryFlag() throws {
        let command = try PonderCommand.parseAsRoot([
            "ask", "What is 17 + 25?", "--system", "Be brief.", "--effort", "high", "--strategy", "best-of-n",
            "--samples", "6", "--max-reasoning-tokens", "100", "--max-answer-tokens", "40", "--temperature", "0.5",
            "--seed", "3", "--agreement-window", "4", "--answer", "block", "--show-reasoning", "--json", "--model", "/tmp/m.gguf", "--threads", "1",
        ])
        let ask = try #require(command as? AskCommand)
        #expect(ask.question == "What is 17 + 25?" && ask.system == "Be brief." && ask.showReasoning && ask.json)
        let configuration = try ask.reasoningOptions.configuration()
        #expect(configuration.effort == .high && configuration.strategy == .bestOfN && configuration.samples == 6)
        #expect(configuration.maxReasoningTokens == 100 && configuration.maxAnswerTokens == 40)
        #expect(configuration.temperature == 0.5 && configuration.seed == 3 && configuration.policy == nil)
        #expect(configuration.agreementWindow == 4 && configuration.answerForm == .block)
        #expect(ask.modelOptions.modelPath == "/tmp/m.gguf" && ask.modelOptions.threads == 1)
    }

    @Test func policyFileIsReadIntoTheConfiguration() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString).txt").path
        try "Be polite.\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ask = try #require(try PonderCommand.parseAsRoot(["ask", "hi", "--policy", path]) as? AskCommand)
        #expect(try ask.reasoningOptions.configuration().policy == "Be polite.\n")
    }

    @Test func chatParses() throws {
        let chat = try #require(try PonderCommand.parseAsRoot(["chat", "--effort", "low", "--system", "Hi"]) as? ChatCommand)
        #expect(chat.system == "Hi")
        #expect(try chat.reasoningOptions.configuration().effort == .low)
    }

    @Test(arguments: [
        ["generate", "hi", "--temperature", "-1"],
        ["generate", "hi", "--top-p", "0"],
        ["generate", "hi", "--max-tokens", "0"],
        ["generate", "hi", "--threads", "0"],
        ["generate", "hi", "--max-sequences", "1000"],
        ["generate", "   "],
        ["ask", "   "],
        ["ask", "hi", "--effort", "extreme"],
        ["ask", "hi", "--strategy", "magic"],
        ["ask", "hi", "--max-reasoning-tokens", "0"],
        ["ask", "hi", "--samples", "0"],
        ["ask", "hi", "--policy", "/nonexistent/policy.txt"],
        ["bench", "--sequences", "0"],
        ["bench", "--sequences", "300"],
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

@Suite struct EvalParseTests {
    @Test func evalParsesItsFlags() throws {
        let command = try PonderCommand.parseAsRoot([
            "eval", "--generate", "arithmetic", "--digits", "2", "--operators", "+", "--count", "10",
            "--strategies", "cot,self-consistency", "--efforts", "low,high", "--samples", "8",
            "--max-reasoning-tokens", "64", "--seed", "4", "--limit", "5", "--json",
        ])
        let eval = try #require(command as? EvalCommand)
        #expect(try eval.settings().map(\.description) == ["cot@low", "cot@high", "self-consistency@low", "self-consistency@high"])
        let problems = try eval.problems()
        #expect(problems.count == 5)
        #expect(problems.allSatisfy { $0.question.hasPrefix("What is ") && $0.question.contains(" + ") })
        #expect(eval.samples == 8 && eval.maxReasoningTokens == 64 && eval.seed == 4 && eval.json)
    }

    @Test(arguments: [
        ["eval"],
        ["eval", "--dataset", "x.jsonl", "--generate", "arithmetic"],
        ["eval", "--generate", "poetry"],
        ["eval", "--generate", "arithmetic", "--strategies", "magic"],
        ["eval", "--generate", "arithmetic", "--efforts", "extreme"],
        ["eval", "--generate", "arithmetic", "--count", "0"],
    ])
    func badEvalArgumentsAreUsageErrors(arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try PonderCommand.parseAsRoot(arguments) }
    }
}
