import PonderReasoning

/// What running a program gave.
public struct CodeRunOutcome: Sendable, Hashable {
    /// Standard output (and, on failure, the error's last lines), already truncated.
    public var output: String
    /// Whether the program failed, timed out or was stopped at a limit.
    public var isError: Bool
    /// The sandbox isolation the program ran under (`SandboxIsolation` raw value, such as
    /// `bubblewrap`), or nil when it did not run in a sandbox.
    public var isolation: String?

    /// Creates an outcome.
    public init(output: String, isError: Bool, isolation: String? = nil) {
        self.output = output
        self.isError = isError
        self.isolation = isolation
    }
}

/// Runs untrusted Python somewhere safe. ``SandboxCodeRunner`` runs it in PonderSandbox.
public protocol CodeRunner: Sendable {
    /// Runs `source` and reports its output; never throws (failures are outcomes).
    func runPython(_ source: String) async -> CodeRunOutcome
}

/// The code tool inside the reasoning: when a chain closes a fenced `python` block, the code runs
/// in a sandbox (off the decode thread; only that chain waits) and its output is forced in as an
/// `output` block, and the chain goes on.
public struct PythonTool: ReasoningTool {
    public let name = "python"
    public let invitation = """
        You can run Python: write a ```python code block that prints what you need, and its output \
        appears after it in an ```output block.
        """
    /// Where code runs.
    public let runner: any CodeRunner
    /// Most characters of output forced into the chain.
    public let outputLimit: Int

    /// Creates the tool. `outputLimit` is clamped to 1...20000 characters.
    public init(runner: any CodeRunner, outputLimit: Int = 1000) {
        self.runner = runner
        self.outputLimit = min(max(outputLimit, 1), 20_000)
    }

    public func makeSession() -> any ToolSession { PythonSession(runner: runner, outputLimit: outputLimit) }

    public func summary(of call: ToolCall) -> (title: String, text: String) {
        let firstLine = call.result.split(separator: "\n").first.map(String.init) ?? "nothing"
        return ("Running code", call.isError ? "The program failed: \(firstLine)" : "The program printed \(firstLine)")
    }
}

/// Watches one chain for a closed ```python block.
final class PythonSession: ToolSession {
    private let runner: any CodeRunner
    private let outputLimit: Int
    /// Fences (```) already accounted for.
    private var handledFences = 0

    init(runner: any CodeRunner, outputLimit: Int) {
        self.runner = runner
        self.outputLimit = outputLimit
    }

    func invocation(after text: String, inAnswer: Bool) -> ToolInvocation? {
        guard !inAnswer, let source = Self.closedBlock(in: text, handledFences: &handledFences) else { return nil }
        let runner = self.runner
        let limit = outputLimit
        return .deferred(tool: "python", input: source) {
            let outcome = await runner.runPython(source)
            var output = outcome.output
            if output.count > limit { output = String(output.prefix(limit)) + "\n…(truncated)" }
            if output.isEmpty { output = "(no output)" }
            return ToolCall(tool: "python", input: source, result: output,
                            injected: "\n```output\n\(output)\n```\n", isError: outcome.isError, isolation: outcome.isolation)
        }
    }

    /// The code of a ```python (or ```py) block that the text has just closed, once per block.
    static func closedBlock(in text: String, handledFences: inout Int) -> String? {
        let trimmed = text.reversed().drop { $0 == " " || $0 == "\n" }
        guard trimmed.starts(with: "```") else { return nil }
        let parts = text.components(separatedBy: "```")
        let fences = parts.count - 1
        guard fences > handledFences else { return nil }
        handledFences = fences
        // An even number of fences: the last one closed a block; its body is parts[fences - 1].
        guard fences % 2 == 0 else { return nil }
        let body = parts[fences - 1]
        for language in ["python\n", "py\n", "python3\n"] where body.hasPrefix(language) {
            let code = String(body.dropFirst(language.count))
            return code.contains(where: { !$0.isWhitespace }) ? code : nil
        }
        return nil
    }
}
