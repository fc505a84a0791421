import PonderSandbox

/// Runs the python tool's code in PonderSandbox: a separate process with wall-clock, CPU and
/// memory limits, no network, a temporary directory and a clean environment (see docs/EVALUATION.md
/// for which protections this machine supports).
public struct SandboxCodeRunner: CodeRunner {
    /// The limits each program gets (default: 5 s wall clock, the sandbox's standard others).
    public let limits: SandboxLimits

    /// Creates the runner.
    public init(limits: SandboxLimits? = nil) {
        self.limits = limits ?? (try? SandboxLimits(wallSeconds: 5)) ?? .standard
    }

    public func runPython(_ source: String) async -> CodeRunOutcome {
        do {
            let result = try await Sandbox(limits: limits).run(SandboxJob(program: .python(source)))
            if result.succeeded { return CodeRunOutcome(output: result.stdout.trimmingTrailingNewlines, isError: false) }
            let errorLines = result.stderr.split(separator: "\n").suffix(3).joined(separator: "\n")
            let output = [result.stdout.trimmingTrailingNewlines, errorLines, "(\(result.termination))"]
                .filter { !$0.isEmpty }.joined(separator: "\n")
            return CodeRunOutcome(output: output, isError: true)
        } catch {
            return CodeRunOutcome(output: "the sandbox could not run the code: \(error)", isError: true)
        }
    }
}

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
