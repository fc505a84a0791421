import PonderSandbox

/// Grades a model's answer to a HumanEval-style ``CodeTask`` in the ``Sandbox`` so that the
/// candidate cannot make itself pass without passing the tests.
///
/// The sandbox runs a fixed, trusted harness (`Harness/grade_harness.py`), never the candidate
/// mixed with the tests:
/// 1. Swift draws a fresh 128-bit token from the system CSPRNG and sends it, with the task's
///    prompt and test and the candidate's code, on the harness's stdin. The harness reads it all
///    before the candidate exists, then stdin is `/dev/null`; it has made itself non-dumpable
///    (`prctl(PR_SET_DUMPABLE, 0)`), so another process of the same user cannot read its memory or
///    open its `/proc` entries. When the harness runs as root (`processOnly` in a root container,
///    where `CAP_SYS_PTRACE` would override that) the candidate runs as `nobody`.
/// 2. The candidate (``candidateSource(for:candidate:)``) runs in a separate Python process with
///    stdin from `/dev/null`, stdout and stderr on a pipe the harness drains and discards (it is
///    killed past 4 MiB), and no other inherited descriptors than its two protocol pipes.
/// 3. The harness execs the task's prompt (helpers such as HumanEval/32's `poly`) and test in its
///    own namespace and calls `check(proxy)`; the entry point's name is bound to the proxy too.
///    Each call pickles its arguments (a deep copy) to the candidate process, which calls the
///    entry point and pickles the result back; the harness loads replies with an unpickler that
///    refuses every class, so only `None`, `bool`, numbers, strings, bytes and builtin containers
///    come back (never an object with its own `__eq__`), at most 16 MiB each. A raised exception
///    (re-raised as the same builtin type for common ones such as `ValueError`, but never as
///    `StopIteration` or `SystemExit`), a dead process, a malformed reply or the time budget
///    running out makes the call raise and the candidate fail.
/// 4. Only when `check` returns normally and the candidate process stayed healthy does the
///    harness print `PONDER-PASS <token>`. A candidate passes only when the sandbox run exited with
///    status 0, its stdout was not truncated, and its last line is exactly that, with this run's
///    token. The exit status alone never counts.
///
/// Differences from HumanEval's own harness: the candidate's module-level code runs with
/// `__name__ == "__candidate__"` (a `__main__` block does not run); arguments are copies, so a
/// test cannot see the candidate mutate them; results must be plain builtin data.
///
/// ```swift
/// let grader = CodeGrader(sandbox: try Sandbox())
/// let grade = try await grader.run("    return a + b\n", task: task)
/// // grade.passed == true; for a wrong body, grade.failure == "FAIL AssertionError: …"
/// ```
public struct CodeGrader: Sendable {
    /// The sandbox every candidate runs in; its wall-clock limit bounds each grading run, and the
    /// candidate gets `GradingHarness.budgetSeconds` of it (80%, at least 0.5 s less).
    public let sandbox: Sandbox

    /// Creates a grader over a sandbox.
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

    /// The code the candidate process runs: the prompt, then the candidate. A candidate that
    /// defines the entry point itself is appended after the prompt (its definition wins);
    /// otherwise it is taken as the function body that continues the prompt. The task's tests are
    /// not part of it: they run in the harness, out of the candidate's reach.
    public static func candidateSource(for task: CodeTask, candidate: String) -> String {
        let code = extractCode(from: candidate)
        let body = code.contains("def \(task.entryPoint)") ? "\n" + code : code
        return task.prompt + body + "\n"
    }

    /// Runs the candidate against the task's tests; true when every test held.
    public func passes(_ candidate: String, task: CodeTask) async throws -> Bool {
        try await run(candidate, task: task).passed
    }

    /// Runs the candidate against the task's tests and says how it fared.
    /// - Throws: `SandboxError` when the run could not be started.
    public func run(_ candidate: String, task: CodeTask) async throws -> CodeGrade {
        try await run(candidate, task: task, token: GradingHarness.newToken())
    }

    /// `run` with a chosen token, so tests can check that a candidate never learns it.
    func run(_ candidate: String, task: CodeTask, token: String) async throws -> CodeGrade {
        let job = try GradingHarness.job(
            task: task, candidate: Self.candidateSource(for: task, candidate: candidate), token: token,
            limits: sandbox.limits)
        return GradingHarness.verdict(of: try await sandbox.run(job), token: token)
    }
}
