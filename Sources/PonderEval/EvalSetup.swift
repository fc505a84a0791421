import PonderReasoning
import PonderSandbox
import PonderTools

/// What an evaluation runs with besides the model: one sandbox for graded code and the python
/// tool, the tools inside the reasoning, and the code grader. Built, or refused, before the model
/// loads, so a machine without isolation or a setting without tools fails at once.
///
/// A sandbox is made only when some problem is code or python is among the tools; the python tool
/// then gets its own sandbox at the same isolation with ``SandboxCodeRunner/defaultLimits``.
///
/// ```swift
/// let setup = try EvalSetup(problems: problems, settings: settings, tools: try ToolSelection(parsing: "calculator"),
///                           makeSandbox: { try Sandbox(limits: .standard) })
/// let runner = setup.runner(reasoner: reasoner, samples: nil, maxReasoningTokens: nil, seed: 0)
/// ```
public struct EvalSetup: Sendable {
    /// The sandbox code runs in, or `nil` when nothing needs one.
    public let sandbox: Sandbox?
    /// The tools inside the reasoning for every setting.
    public let tools: ToolUse
    /// Grades code problems; `nil` when there are none (or no sandbox).
    public let codeGrader: CodeGrader?

    /// Creates the setup for `problems` under `settings` with the `tools` asked for.
    ///
    /// - Parameter makeSandbox: builds the validated sandbox (standard limits, the chosen
    ///   isolation); called at most once, and only when a sandbox is needed.
    /// - Throws: what `makeSandbox`, `Sandbox` or the tool selection throw, then
    ///   ``EvalSetupError/toolsStrategyWithoutTools`` when a setting uses the tools strategy with no tools.
    public init(problems: [EvalProblem], settings: [EvalSetting], tools selection: ToolSelection,
                makeSandbox: () throws -> Sandbox) throws {
        let gradesCode = problems.contains { $0.kind == .code }
        let sandbox = gradesCode || selection.names.contains(.python) ? try makeSandbox() : nil
        let codeRunner = try sandbox.map {
            SandboxCodeRunner(sandbox: try Sandbox(limits: SandboxCodeRunner.defaultLimits, isolation: $0.isolation))
        }
        let tools = try selection.toolUse(codeRunner: codeRunner ?? SandboxCodeRunner())
        if settings.contains(where: { $0.strategy == .tools }), tools.tools.isEmpty {
            throw EvalSetupError.toolsStrategyWithoutTools
        }
        self.sandbox = sandbox
        self.tools = tools
        self.codeGrader = gradesCode ? sandbox.map { CodeGrader(sandbox: $0) } : nil
    }

    /// The sandbox as stored with the run (``EvalRunInfo/sandbox``): `"<isolation> (<protections>)"`,
    /// or empty when there is none.
    public var sandboxDescription: String {
        sandbox.map { "\($0.isolation) (\($0.protections))" } ?? ""
    }

    /// The names of the tools, as stored with the run (``EvalRunInfo/tools``).
    public var toolNames: [String] { tools.tools.map(\.name) }

    /// A runner over `reasoner` with this setup's tools and code grader.
    public func runner(reasoner: Reasoner, samples: Int?, maxReasoningTokens: Int?, seed: UInt32,
                       confidence: ConfidenceSettings = .standard, trainedVerifier: TrainedVerifier? = nil) -> EvalRunner {
        var runner = EvalRunner(reasoner: reasoner, samples: samples, maxReasoningTokens: maxReasoningTokens, seed: seed,
                                codeGrader: codeGrader, tools: tools, confidence: confidence)
        runner.trainedVerifier = trainedVerifier
        return runner
    }
}
