import Foundation
import PonderSandbox

/// The Swift side of the grading protocol that `Harness/grade_harness.py` implements (its module
/// docstring is the other half): the request on the harness's stdin, the per-run token, the time
/// budget, and the verdict read back from the sandbox result.
enum GradingHarness {
    /// The harness script, run as the sandbox job's `main.py`.
    static let script = String(decoding: PackageResources.grade_harness_py, as: UTF8.self)
    /// The harness's only stdout line when the candidate passed, followed by the token.
    static let passPrefix = "PONDER-PASS "
    /// Prefix of the harness's own lines on stderr (its verdict comes first).
    static let reportPrefix = "ponder-harness: "
    /// Bytes of output (stdout and stderr together) the candidate may write before it is killed.
    static let candidateOutputLimit = 4 << 20

    /// What the harness reads from stdin (field names are the harness's JSON keys).
    struct Request: Encodable {
        var token: String
        var prompt: String
        var test: String
        var entryPoint: String
        var candidate: String
        var budgetSeconds: Double
        var outputLimit: Int
    }

    /// A fresh secret for one run: 128 bits from the system CSPRNG (`getrandom` on Linux) as 32
    /// lowercase hex digits.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// Seconds the harness gives the candidate (defining it and every call together), counted
    /// from when it has read its request: 80% of the wall-clock limit and at least half a second
    /// short of it, so the harness reports a slow candidate itself before the sandbox kills it.
    static func budgetSeconds(wallSeconds: Double) -> Double {
        max(0.05, min(wallSeconds - 0.5, wallSeconds * 0.8))
    }

    /// The sandbox job that grades `candidate` (the code the candidate process runs) on `task`.
    static func job(task: CodeTask, candidate: String, token: String, limits: SandboxLimits) throws -> SandboxJob {
        let request = Request(
            token: token, prompt: task.prompt, test: task.test, entryPoint: task.entryPoint, candidate: candidate,
            budgetSeconds: budgetSeconds(wallSeconds: limits.wallSeconds), outputLimit: candidateOutputLimit)
        return SandboxJob(program: .python(script), stdinData: try JSONEncoder().encode(request), fileData: [:])
    }

    /// A pass needs all three: the run ended by itself with status 0, its stdout was not cut, and
    /// the last line of stdout is exactly `PONDER-PASS <token>`.
    static func verdict(of result: SandboxResult, token: String) -> CodeGrade {
        var stdout = Substring(result.stdout)
        if stdout.hasSuffix("\n") { stdout = stdout.dropLast() }
        let lastLine = stdout.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        let passed = result.termination == .exited(0) && !result.stdoutTruncated && lastLine == passPrefix + token
        return CodeGrade(passed: passed, failure: passed ? nil : failure(of: result), result: result)
    }

    /// The harness's own first line on stderr (it writes its verdict before any candidate output),
    /// or how the run ended when the harness did not get to say.
    private static func failure(of result: SandboxResult) -> String {
        switch result.termination {
        case .exited(1), .exited(2):
            let line = result.stderr.split(separator: "\n").first { $0.hasPrefix(reportPrefix) }
            return line.map { String($0.dropFirst(reportPrefix.count)) } ?? "the grading run ended: \(result.termination)"
        case .exited(0):
            return "the harness exited without confirming the pass"
        default:
            return "the grading run ended: \(result.termination)"
        }
    }
}
