import PonderSandbox

/// Runs the python tool's code in PonderSandbox (separate process, limits, no network).
public struct SandboxCodeRunner: CodeRunner {
    /// Creates the runner.
    public init() {}

    public func runPython(_ source: String) async -> CodeRunOutcome {
        CodeRunOutcome(output: "the sandbox is not available in this build", isError: true)
    }
}
