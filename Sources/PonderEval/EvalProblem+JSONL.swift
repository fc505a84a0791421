import Foundation

extension Collection where Element == EvalProblem {
    /// The problems as GSM8K-style JSONL, one object per line with sorted keys:
    /// `{"answer":"<solution>\n#### 68","difficulty":2,"id":"…","question":"What is 23 + 45?"}`
    /// (`difficulty` only when known; `"template":"unit-cost"` after the question for a problem
    /// drawn from a template). ``DatasetLoader`` reads it back to equal problems.
    ///
    /// - Throws: ``DatasetError/notWritable(id:kind:)`` for a problem that is not a number problem.
    public func jsonLines() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for problem in self {
            guard problem.kind == .number else { throw DatasetError.notWritable(id: problem.id, kind: problem.kind) }
            let final = "#### " + problem.expected
            let solution = problem.solution?.trimmingWhitespace() ?? ""
            let record = GSM8KRecord(
                id: problem.id, question: problem.question,
                answer: solution.isEmpty ? final : solution + "\n" + final, difficulty: problem.difficulty,
                template: problem.template
            )
            data.append(try encoder.encode(record))
            data.append(UInt8(ascii: "\n"))
        }
        return data
    }

    /// Writes ``jsonLines()`` to `url`, replacing any file there.
    ///
    /// ```swift
    /// let problems = try ProblemGenerator(family: .wordProblems, seed: 7).generate(count: 50)
    /// try problems.write(to: URL(fileURLWithPath: "word-problems.jsonl"))
    /// ```
    public func write(to url: URL) throws {
        let data = try jsonLines()
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw DatasetError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }
}

/// One GSM8K-style line as written; `difficulty` and `template` are left out when `nil`.
private struct GSM8KRecord: Encodable {
    let id: String
    let question: String
    let answer: String
    let difficulty: Int?
    let template: String?
}
