import PonderSandbox

/// Grades a model's answer to a HumanEval-style ``CodeTask`` by running it with the task's tests in
/// the ``Sandbox``: the program is the prompt, the candidate, the task's `test` code and
/// `check(<entry_point>)` (HumanEval's harness); it passes when that exits with status 0.
public struct CodeGrader: Sendable {
    /// The sandbox every candidate runs in.
    public let sandbox: Sandbox

    /// Creates a grader over a sandbox (by default the strongest isolation here, 10 s per candidate).
    public init(sandbox: Sandbox) {
        self.sandbox = sandbox
    }

    /// The code in an answer: the first fenced block (```` ```python ```` or plain ```` ``` ````),
    /// or the whole answer when there is none.
    public static func extractCode(from answer: String) -> String {
        guard let open = answer.range(of: "```") else { return answer }
        var rest = answer[open.upperBound...]
        if let newline = rest.firstIndex(of: "\n") { rest = rest[rest.index(after: newline)...] }
        let body = rest.range(of: "```").map { rest[..<$0.lowerBound] } ?? rest
        return String(body)
    }

    /// The whole program run for `candidate`. A candidate that defines the entry point itself is
    /// appended after the prompt (its definition wins); otherwise it is taken as the function body
    /// that continues the prompt.
    public static func program(for task: CodeTask, candidate: String) -> String {
        let code = extractCode(from: candidate)
        let body = code.contains("def \(task.entryPoint)") ? "\n" + code : code
        return task.prompt + body + "\n\n" + task.test + "\n\ncheck(\(task.entryPoint))\n"
    }

    /// Runs the candidate with the task's tests; true when every assertion held.
    public func passes(_ candidate: String, task: CodeTask) async throws -> Bool {
        try await run(candidate, task: task).succeeded
    }

    /// Runs the candidate with the task's tests and returns the sandbox result.
    public func run(_ candidate: String, task: CodeTask) async throws -> SandboxResult {
        try await sandbox.run(SandboxJob(program: .python(Self.program(for: task, candidate: candidate))))
    }
}
