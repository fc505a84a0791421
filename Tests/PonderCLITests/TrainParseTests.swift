import ArgumentParser
import Foundation
@testable import PonderCLI
import PonderEval
import Testing

@Suite struct TrainParseTests {
    @Test func trainStarParsesEveryFlag() throws {
        let command = try PonderCommand.parseAsRoot([
            "train", "star", "--base", "/tmp/b.gguf", "--task", "arithmetic", "--count", "30", "--heldout-count", "20",
            "--seed", "5", "--heldout-seed", "6", "--digits", "2", "--operations", "1", "--operators", "+",
            "--difficulty", "2", "--rounds", "3", "--samples", "6", "--rationalization-samples", "2",
            "--max-reasoning-tokens", "100", "--eval-reasoning-tokens", "90", "--temperature", "0.9", "--epochs", "4",
            "--learning-rate", "2e-5", "--trainable-layers", "8", "--window", "512", "--validation-share", "0.2",
            "--replay-share", "0.3", "--quantization", "f16", "--out", "/tmp/run", "--threads", "1", "--no-process-check", "--json",
        ])
        let star = try #require(command as? TrainStarCommand)
        let configuration = try star.starConfiguration()
        #expect(configuration.baseModel == "/tmp/b.gguf" && configuration.outputDirectory == "/tmp/run")
        #expect(configuration.rounds == 3 && configuration.samples == 6 && configuration.rationalizationSamples == 2)
        #expect(configuration.maxReasoningTokens == 100 && configuration.evaluationReasoningTokens == 90)
        #expect(configuration.temperature == 0.9 && configuration.seed == 5)
        let tune = configuration.fineTune
        #expect(tune.epochs == 4 && tune.learningRate == 2e-5 && tune.trainableLayers == 8 && tune.window == 512)
        #expect(tune.validationShare == 0.2 && tune.replayShare == 0.3 && tune.quantization == .f16)
        #expect(star.noProcessCheck && star.json && star.threads == 1)
        let (train, heldOut, test) = try star.problems()
        #expect(test.isEmpty)
        #expect(train.count == 30 && heldOut.count == 20)
        #expect(train.allSatisfy { $0.question.contains("+") && !$0.question.contains("×") })
        #expect(Set(train.map(\.question)).isDisjoint(with: heldOut.map(\.question)))
    }

    @Test func trainStarRefusesBadCombinations() {
        #expect(throws: (any Error).self) { try PonderCommand.parseAsRoot(["train", "star", "--out", "/tmp/r"]) }
        #expect(throws: (any Error).self) {
            try PonderCommand.parseAsRoot(["train", "star", "--task", "arithmetic", "--seed", "3", "--heldout-seed", "3", "--out", "/tmp/r"])
        }
        #expect(throws: (any Error).self) { try PonderCommand.parseAsRoot(["train", "star", "--dataset", "a.jsonl", "--out", "/tmp/r"]) }
        #expect(throws: (any Error).self) {
            try PonderCommand.parseAsRoot(["train", "star", "--task", "arithmetic", "--window", "300", "--out", "/tmp/r"])
        }
    }

    @Test func trainExportParsesEveryFlag() throws {
        let command = try PonderCommand.parseAsRoot(["train", "export", "--run", "/tmp/run", "--format", "trl", "--out", "/tmp/x",
                                                      "--hf-model", "org/model"])
        let export = try #require(command as? TrainExportCommand)
        #expect(export.run == "/tmp/run" && export.out == "/tmp/x" && export.format == .trl && export.hfModel == "org/model")
        #expect(throws: (any Error).self) { try PonderCommand.parseAsRoot(["train", "export", "--run", "r", "--format", "csv", "--out", "x"]) }
    }

    @Test func trainRewardParses() throws {
        let command = try PonderCommand.parseAsRoot(["train", "reward", "--no-process-check"])
        #expect(try #require(command as? TrainRewardCommand).noProcessCheck)
    }
}
