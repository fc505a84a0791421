import Foundation
import Testing
@testable import PonderEval

@Suite struct DatasetErrorTests {
    /// The error `body` throws, or `nil`.
    private func error(_ body: () throws -> Void) -> DatasetError? {
        do {
            try body()
            return nil
        } catch {
            return error as? DatasetError
        }
    }

    @Test func badJSONOnLine3NamesLine3() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("bad.jsonl", """
            {"question": "Q1?", "answer": "#### 1"}
            {"question": "Q2?", "answer": "#### 2"}
            {"question": "Q3?", "answer": 
            {"question": "Q4?", "answer": "#### 4"}
            """)
        let failure = error { _ = try DatasetLoader.load(path: path) }
        guard case let .invalidJSON(errorPath, line, _) = failure else {
            Issue.record("expected invalidJSON, got \(String(describing: failure))")
            return
        }
        #expect(errorPath == path)
        #expect(line == 3)
        #expect(failure?.description.contains("line 3") == true)
        #expect(failure?.description.contains("\n") == false)
    }

    @Test func unknownRecordShapeNamesLineAndFields() {
        let failure = error {
            _ = try DatasetLoader.parse("{\"question\": \"Q?\", \"answer\": \"#### 1\"}\n{\"text\": \"hello\", \"label\": 1}\n")
        }
        #expect(failure == .unknownFormat(path: "input", line: 2, keys: ["label", "text"]))
        #expect(failure?.description.contains("line 2") == true)
        #expect(failure?.description.contains("GSM8K") == true)
    }

    @Test func aRecordMustBeAnObject() {
        let failure = error { _ = try DatasetLoader.parse("[1, 2]\n") }
        #expect(failure == .invalidJSON(path: "input", line: 1, reason: "a record must be a JSON object, found an array"))
    }

    @Test(arguments: [
        ("{\"question\": \"Q?\", \"answer\": \"no marker here\"}", DatasetFormat.gsm8k, "####"),
        ("{\"question\": \"Q?\", \"answer\": \"#### many\"}", .gsm8k, "not a number"),
        ("{\"problem\": \"P\", \"solution\": \"no box\"}", .math, "boxed"),
        ("{\"problem\": \"P\", \"solution\": \"cut \\\\boxed{\\\\frac{1}{2}\"}", .math, "boxed"),
        ("{\"question\": \"Q?\", \"choices\": [\"a\", \"b\"], \"answer\": \"E\"}", .multipleChoice, "not one of the 2 choices"),
        ("{\"question\": \"Q?\", \"choices\": [\"a\", \"b\"], \"answer\": 5}", .multipleChoice, "not one of the 2 choices"),
        ("{\"question\": \"Q?\", \"choices\": [\"a\"], \"answer\": 0}", .multipleChoice, "expected 2 to 26"),
        ("{\"question\": \"Q?\", \"choices\": \"a, b\", \"answer\": \"A\"}", .multipleChoice, "must be an array"),
        ("{\"question\": \"Q?\", \"choices\": [\"a\", \"b\"]}", .multipleChoice, "missing \"answer\""),
        ("{\"task_id\": \"T/0\", \"prompt\": \"def f():\", \"test\": \"\"}", .humanEval, "missing \"entry_point\""),
        ("{\"question\": 12, \"answer\": \"#### 1\"}", .gsm8k, "\"question\" must be a string"),
    ])
    func invalidRecordsSayWhatIsWrong(line: String, format: DatasetFormat, detail: String) {
        let failure = error { _ = try DatasetLoader.parse("\n" + line + "\n", source: "data.jsonl") }
        guard case let .invalidRecord(path, number, errorFormat, reason) = failure else {
            Issue.record("expected invalidRecord, got \(String(describing: failure))")
            return
        }
        #expect(path == "data.jsonl")
        #expect(number == 2)
        #expect(errorFormat == format)
        #expect(reason.contains(detail), "\(reason)")
    }

    @Test func emptyAndBlankFilesAreErrors() throws {
        let directory = try TemporaryDirectory()
        let empty = try directory.write("empty.jsonl", "")
        let blank = try directory.write("blank.jsonl", "\n  \n\t\n")
        #expect(error { _ = try DatasetLoader.load(path: empty) } == .empty(path: empty))
        #expect(error { _ = try DatasetLoader.load(path: blank) } == .empty(path: blank))
        #expect(DatasetError.empty(path: empty).description.contains("holds no records"))
    }

    @Test func missingAndUnreadablePathsAreErrors() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("nope.jsonl").path
        #expect(error { _ = try DatasetLoader.load(path: missing) } == .fileNotFound(path: missing))
        guard case .unreadable = error({ _ = try DatasetLoader.load(path: directory.url.path) }) else {
            Issue.record("a directory should be unreadable")
            return
        }
    }

    @Test func invalidUTF8IsAnError() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("latin1.jsonl", Data([0x7B, 0x22, 0xE9, 0xFF, 0x22, 0x7D, 0x0A]))
        #expect(error { _ = try DatasetLoader.load(path: path) } == .notUTF8(path: path))
    }

    @Test func corruptGzipIsADecompressionError() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("broken.jsonl.gz", Data([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02, 0x03]))
        guard case let .decompressionFailed(errorPath, reason) = error({ _ = try DatasetLoader.load(path: path) }) else {
            Issue.record("expected decompressionFailed")
            return
        }
        #expect(errorPath == path)
        #expect(reason.contains("gzip exited"))
    }

    @Test func missingGzipIsAClearError() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.writeGzip("data.jsonl.gz", "{\"question\": \"Q?\", \"answer\": \"#### 1\"}\n")
        #expect(throws: DatasetError.gzipUnavailable(path: path)) {
            try GzipReader.decompress(path: path, searchPath: directory.url.path)
        }
        #expect(DatasetError.gzipUnavailable(path: path).description.contains("install gzip"))
    }

    @Test func onlyNumberProblemsCanBeWritten() {
        let problem = EvalProblem(id: "mc-1", question: "Q?\n\nA) a\nB) b", expected: "A", kind: .multipleChoice)
        #expect(throws: DatasetError.notWritable(id: "mc-1", kind: .multipleChoice)) { try [problem].jsonLines() }
    }

    @Test func everyDescriptionIsOneLine() {
        let errors: [DatasetError] = [
            .fileNotFound(path: "a"), .unreadable(path: "a", reason: "r"), .empty(path: "a"), .notUTF8(path: "a"),
            .gzipUnavailable(path: "a"), .decompressionFailed(path: "a", reason: "r"),
            .invalidJSON(path: "a", line: 1, reason: "r"), .unknownFormat(path: "a", line: 1, keys: []),
            .invalidRecord(path: "a", line: 1, format: .math, reason: "r"), .invalidLimit(0),
            .notWritable(id: "x", kind: .code), .writeFailed(path: "a", reason: "r"),
        ]
        for error in errors {
            #expect(!error.description.isEmpty && !error.description.contains("\n"), "\(error)")
        }
    }
}
