import Foundation
import PonderCore
import PonderEval
import PonderLlama
import Testing
@testable import PonderTraining

@Suite struct BadInputTests {
    func configuration(_ directory: URL) throws -> StarConfiguration {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let base = directory.appendingPathComponent("base.gguf")
        try Data("GGUF".utf8).write(to: base)
        return try StarConfiguration(baseModel: base.path, outputDirectory: directory.appendingPathComponent("run").path,
                                     rounds: 1, samples: 2, fineTune: FineTuneSettings())
    }

    @Test func aHeldOutSetThatOverlapsTheTrainingSetIsRefused() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let train = [addition("a", 1, 2), addition("b", 3, 4)]
        let heldOut = [EvalProblem(id: "x", question: "what is  3 + 4?", expected: "7", kind: .number), addition("c", 5, 6)]
        #expect(throws: TrainingError.heldOutOverlap(count: 1, example: "what is  3 + 4?")) {
            _ = try StarLoop(configuration: try configuration(directory), trainProblems: train, heldOut: heldOut,
                             backend: ScriptedBackend(), processVerifier: nil)
        }
        #expect(TrainingError.heldOutOverlap(count: 1, example: "q").description.contains("held-out"))
    }

    @Test func aDatasetWithNoVerifiableAnswersIsRefused() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let code = [EvalProblem(id: "c", question: "Write f.", expected: "", kind: .code)]
        #expect(throws: TrainingError.noVerifiableAnswers(source: "the training set")) {
            _ = try StarLoop(configuration: try configuration(directory), trainProblems: code, heldOut: [addition("h", 1, 1)],
                             backend: ScriptedBackend(), processVerifier: nil)
        }
    }

    @Test func aBaseThatCannotBeConvertedFailsWithOneLineAndKeepsTheRunResumable() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = ScriptedBackend()
        backend.failConversion = true
        let loop = try StarLoop(configuration: try configuration(directory), trainProblems: [addition("a", 2, 2)],
                                heldOut: [addition("h", 1, 1)], backend: backend, processVerifier: nil)
        do {
            _ = try await loop.run()
            Issue.record("the conversion failure was not reported")
        } catch let error as TrainingError {
            guard case .baseNotConvertible = error else { Issue.record("wrong error \(error)"); return }
            #expect(!error.description.contains("\n"))
        }
        let state = try JSONDecoder().decode(RoundState.self, from: Data(contentsOf: directory.appendingPathComponent("run/round-1/round.json")))
        #expect(state.stage == .datasetWritten)
        backend.failConversion = false
        let report = try await loop.run()
        #expect(report.rounds.count == 1)
    }

    @Test func theRealConverterRefusesAFileThatIsNotAModel() throws {
        let directory = temporaryDirectory()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bogus = directory.appendingPathComponent("bogus.gguf")
        try Data("not a model".utf8).write(to: bogus)
        #expect(throws: LlamaError.notGGUF(path: bogus.path)) {
            try LlamaModelConverter.convert(input: bogus.path, output: directory.appendingPathComponent("out.gguf").path, to: .f32)
        }
    }

    @Test func anUnwritableRunDirectoryIsAOneLineError() throws {
        do {
            try TrainingExample.write([], to: URL(fileURLWithPath: "/proc/ponder-cannot-write/dataset.jsonl"))
            Issue.record("writing into /proc succeeded")
        } catch let error as TrainingError {
            guard case .writeFailed = error else { Issue.record("wrong error \(error)"); return }
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func settingsOutOfRangeAreRefused() {
        #expect(throws: TrainingError.self) { _ = try FineTuneSettings(window: 300) }
        #expect(throws: TrainingError.self) { _ = try FineTuneSettings(learningRate: 0) }
        #expect(throws: TrainingError.self) {
            _ = try StarConfiguration(baseModel: "m.gguf", outputDirectory: "out", samples: 0, fineTune: FineTuneSettings())
        }
    }
}
