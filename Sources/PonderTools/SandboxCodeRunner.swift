import PonderSandbox

/// Runs the python tool's code in PonderSandbox: a separate process tree with wall-clock, CPU,
/// memory and process limits, by default in a private filesystem as `nobody` without network
/// (docs/SECURITY.md). Each outcome names the isolation it ran under.
///
/// ```swift
/// let runner = try SandboxCodeRunner(sandbox: Sandbox(limits: SandboxCodeRunner.defaultLimits))
/// let outcome = await runner.runPython("print(2 ** 10)")   // output "1024", isolation "bubblewrap"
/// ```
public struct SandboxCodeRunner: CodeRunner {
    /// 5 s wall clock and the sandbox's standard other limits.
    public static let defaultLimits: SandboxLimits = (try? SandboxLimits(wallSeconds: 5)) ?? .standard

    /// The limits each program gets.
    public let limits: SandboxLimits
    /// The sandbox code runs in, or why none could be set up (then every run reports that error).
    private let sandbox: Result<Sandbox, SandboxError>

    /// A runner over an already validated sandbox (what the CLI builds, so a machine without
    /// isolation fails at start rather than at every run).
    public init(sandbox: Sandbox) {
        self.limits = sandbox.limits
        self.sandbox = .success(sandbox)
    }

    /// A runner with `limits` (default `defaultLimits`) and `isolation` (nil: the strongest level
    /// that isolates the filesystem here). When that level cannot be set up, every run returns an
    /// error outcome saying why; `setupError` tells it at once.
    public init(limits: SandboxLimits? = nil, isolation: SandboxIsolation? = nil) {
        let limits = limits ?? Self.defaultLimits
        self.limits = limits
        do throws(SandboxError) {
            sandbox = .success(try Sandbox(limits: limits, isolation: isolation))
        } catch {
            sandbox = .failure(error)
        }
    }

    /// The isolation code runs under, or nil when no sandbox could be set up.
    public var isolation: SandboxIsolation? { try? sandbox.get().isolation }

    /// Why no sandbox could be set up, or nil.
    public var setupError: SandboxError? {
        if case .failure(let error) = sandbox { return error }
        return nil
    }

    public func runPython(_ source: String) async -> CodeRunOutcome {
        let sandbox: Sandbox
        switch self.sandbox {
        case .success(let value): sandbox = value
        case .failure(let error): return CodeRunOutcome(output: "the sandbox could not run the code: \(error)", isError: true)
        }
        let isolation = sandbox.isolation.rawValue
        do {
            let result = try await sandbox.run(SandboxJob(program: .python(source)))
            if result.succeeded {
                return CodeRunOutcome(output: result.stdout.trimmingTrailingNewlines, isError: false, isolation: isolation)
            }
            let errorLines = result.stderr.split(separator: "\n").suffix(3).joined(separator: "\n")
            let output = [result.stdout.trimmingTrailingNewlines, errorLines, "(\(result.termination))"]
                .filter { !$0.isEmpty }.joined(separator: "\n")
            return CodeRunOutcome(output: output, isError: true, isolation: isolation)
        } catch {
            return CodeRunOutcome(output: "the sandbox could not run the code: \(error)", isError: true, isolation: isolation)
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
