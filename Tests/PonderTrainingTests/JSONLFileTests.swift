import Foundation
import Testing
@testable import PonderTraining

/// The one appender of run files: a torn last line is cut before the next append, and that record
/// is done again instead of being glued onto the fragment and lost.
@Suite struct JSONLFileTests {
    struct Step: Codable, Equatable {
        var step: Int
        var loss: Double
    }

    func file(_ contents: String?) throws -> (JSONLFile, URL) {
        let directory = temporaryDirectory()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("log.jsonl")
        if let contents { try Data(contents.utf8).write(to: url) }
        return (JSONLFile(url), directory)
    }

    func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func aFileEndingInHalfALineHasItCutAndTheNextRecordStartsClean() throws {
        let (log, directory) = try file("{\"loss\":1,\"step\":1}\n{\"loss\":0.5,\"st")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try log.read(Step.self) == [Step(step: 1, loss: 1)], "the torn line is not a record")
        #expect(try log.repair() == 15)
        #expect(try text(log.url) == "{\"loss\":1,\"step\":1}\n")
        try log.append(Step(step: 2, loss: 0.5))
        #expect(try log.read(Step.self) == [Step(step: 1, loss: 1), Step(step: 2, loss: 0.5)])
    }

    @Test func appendingAfterATornLineCutsItFirst() throws {
        let (log, directory) = try file("{\"loss\":1,\"step\":1}\n{\"loss\":0.")
        defer { try? FileManager.default.removeItem(at: directory) }
        try log.append([Step(step: 2, loss: 0.5), Step(step: 3, loss: 0.25)])
        #expect(try text(log.url).split(separator: "\n").count == 3)
        #expect(try log.read(Step.self).map(\.step) == [1, 2, 3])
    }

    @Test func aFileEndingInACompleteLineIsUntouched() throws {
        let contents = "{\"loss\":1,\"step\":1}\n{\"loss\":0.5,\"step\":2}\n"
        let (log, directory) = try file(contents)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try log.repair() == 0)
        #expect(try text(log.url) == contents)
    }

    @Test func anEmptyOrMissingFileIsFine() throws {
        let (empty, directory) = try file("")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try empty.repair() == 0)
        #expect(try empty.read(Step.self).isEmpty)
        try empty.append(Step(step: 1, loss: 1))
        #expect(try text(empty.url) == "{\"loss\":1,\"step\":1}\n")
        let missing = JSONLFile(directory.appendingPathComponent("sub/none.jsonl"))
        #expect(try missing.repair() == 0)
        #expect(try missing.read(Step.self).isEmpty)
        try missing.append(Step(step: 1, loss: 1))
        #expect(try missing.read(Step.self).count == 1)
    }

    /// Decision: an unterminated last line that is a whole JSON object lost only its newline (a
    /// cut object never parses), so it is kept and completed; anything else there is torn.
    @Test func aLastLineWithoutNewlineIsKeptOnlyIfItIsAWholeObject() throws {
        let (whole, directory) = try file("{\"loss\":1,\"step\":1}\n{\"loss\":0.5,\"step\":2}")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try whole.read(Step.self).count == 2)
        #expect(try whole.repair() == 0)
        #expect(try text(whole.url).hasSuffix("\"step\":2}\n"))
        try whole.append(Step(step: 3, loss: 0.25))
        #expect(try whole.read(Step.self).map(\.step) == [1, 2, 3])

        let number = JSONLFile(directory.appendingPathComponent("number.jsonl"))
        try Data("{\"loss\":1,\"step\":1}\n12".utf8).write(to: number.url)
        #expect(try number.repair() == 2, "a bare number may be a cut one: torn")
    }

    @Test func aDamagedCompleteLineIsAnErrorNotSkipped() throws {
        let (log, directory) = try file("{\"loss\":1,\"step\":1}\n{\"loss\":0.5,\"st{\"loss\":0.25,\"step\":3}\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: TrainingError.self) { _ = try log.read(Step.self) }
    }

    @Test func retainRewritesOnlyWhatIsKept() throws {
        let (log, directory) = try file(nil)
        defer { try? FileManager.default.removeItem(at: directory) }
        try log.append((1...5).map { Step(step: $0, loss: 1 / Double($0)) })
        try log.retain(Step.self) { $0.step <= 3 }
        #expect(try log.read(Step.self).map(\.step) == [1, 2, 3])
    }

    @Test func aChainBatchCutShortIsDroppedSoItsProblemIsSampledAgain() throws {
        let (chains, directory) = try file(nil)
        defer { try? FileManager.default.removeItem(at: directory) }
        func record(_ problem: String, _ sequence: Int, batch: Int?) -> ChainRecord {
            ChainRecord(problemID: problem, rationalized: false, verdict: .kept,
                        chain: SampledChain(messages: [.user("q")], completion: "Answer: 1", reasoning: "", answer: "1",
                                            extractedAnswer: "1", budgetForced: false, forcedAtEnd: false, sequence: sequence, seed: 1),
                        batch: batch)
        }
        try chains.append([record("old", 0, batch: nil), record("a", 0, batch: 2), record("a", 1, batch: 2), record("b", 0, batch: 3)])
        let handle = try FileHandle(forWritingTo: chains.url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"problem_id\":\"b\",\"rational".utf8))   // the kill, mid-batch
        try handle.close()
        let loop = try StarLoopTests().loop(directory, backend: ScriptedBackend())
        try loop.dropIncompleteBatches(in: chains.url)
        #expect(try chains.read(ChainRecord.self).map(\.problemID) == ["old", "a", "a"])
    }
}
