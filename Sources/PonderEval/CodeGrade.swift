import PonderSandbox

/// How one candidate fared in ``CodeGrader``: whether it passed, why not, and the sandbox run of
/// the grading harness.
///
/// `passed` is true only when the harness confirmed the pass with this run's secret token (see
/// ``CodeGrader``); `result.succeeded` on its own never means the candidate passed.
public struct CodeGrade: Sendable, Hashable {
    /// True when every test held and the harness said so with this run's token.
    public var passed: Bool
    /// Why the candidate failed, for a person: the harness's reason (the failing assertion, the
    /// candidate's exception, "timed out", "wrote more than … bytes") or how the sandbox run ended.
    /// Nil when it passed.
    public var failure: String?
    /// The sandbox run of the harness. Its stderr holds the harness's report and the first bytes
    /// of the candidate's own output; its stdout holds at most the pass line.
    public var result: SandboxResult

    /// Creates a grade.
    public init(passed: Bool, failure: String?, result: SandboxResult) {
        self.passed = passed
        self.failure = failure
        self.result = result
    }
}
