import ArgumentParser
import Foundation
import PonderEval
import PonderLlama
import PonderReasoning
import PonderTools
import PonderSandbox

/// `ponder eval`: accuracy against compute for strategies and efforts on a dataset or on seeded,
/// generated problems. Every question's result goes into SQLite as it finishes (`--db`), so running
/// the same command again resumes; `--report DIR` writes report.md and the chart;
/// `ponder eval compare RUN_A RUN_B` compares two runs question by question.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure accuracy and compute of reasoning strategies.",
        discussion: """
            Problems come from --dataset (GSM8K, MATH, multiple-choice or HumanEval JSONL, .jsonl.gz accepted) or \
            --generate (arithmetic, word-problems, story-problems; seeded and reproducible; --templates picks a template \
            split of word or story problems). With --write, generated problems are saved \
            as JSONL and nothing is run. Results go into --db as each question finishes; the same command run again \
            resumes the run (named by --run, or derived from model, problems and settings). A run is tied to the model's \
            content (SHA-256 of the GGUF, or the upstream id and base URL), the prompt file's label, the tools and the \
            sandbox: resuming it with another is refused. When the expected answers changed since results were stored, \
            the run is refused unless --regrade re-grades the stored answers against the new ones (the model is not run \
            again; everything else must match). Several processes started on the same run share its questions. \
            `ponder eval compare RUN_A RUN_B [--db FILE]` prints per-question wins and losses with an exact McNemar test; \
            a run may be narrowed to one setting as RUN:strategy@effort. `ponder eval select RUN` with the run's problem \
            options (and --verifier FILE) applies selection rules again to the chains the run stored. \
            `ponder eval chart [LABEL=]RUN[:strategy@effort] ... --report DIR` draws several runs on the same problems as one \
            chart, each point named by its label, with a table of every point. `ponder eval runs` lists the stored runs.
            """)

    @Argument(help: "compare RUN_A RUN_B, select RUN, chart [LABEL=]RUN..., or runs (leave out to run an evaluation).")
    var action: [String] = []

    @Option(name: .long, help: "SQLite file the results are stored in (created if missing).")
    var db: String = "runs.sqlite"

    @Option(name: .customLong("run"), help: "Name of the run (default: derived from model, problems, seed and budgets).")
    var runName: String?

    @Option(name: .long, help: "Write report.md and accuracy-vs-compute.svg into this directory.")
    var report: String?

    @Option(name: .long, help: "A JSONL dataset (.jsonl or .jsonl.gz).")
    var dataset: String?

    @Option(name: .long, help: "Generate problems instead: arithmetic, word-problems or story-problems.")
    var generate: ProblemGenerator.Family?

    @Option(name: .long, help: "How many problems to generate.")
    var count: Int = 50

    @OptionGroup var problemOptions: ProblemOptions

    @Option(name: .long, help: "Write the problems to this JSONL file and stop.")
    var write: String?

    @Option(name: .long, help: "Strategies to compare, comma-separated.")
    var strategies: String = "direct,cot,self-consistency,best-of-n"

    @Option(name: .long, help: "Efforts to run each strategy at, comma-separated.")
    var efforts: String = "medium"

    @Option(name: .long, help: "Evaluate at most this many problems.")
    var limit: Int?

    @Option(name: .long, help: "Chains for self-consistency and best-of-n (default: the effort's).")
    var samples: Int?

    @Option(name: .long, help: "Questions answered at once (1...64); the engine decodes them in one batch. Per-question wall times then overlap.")
    var parallel: Int = 1

    @Option(name: .customLong("max-reasoning-tokens"), help: "Reasoning-token budget per chain (default: the effort's).")
    var maxReasoningTokens: Int?

    @Option(name: .long, help: "Seed for generation and sampling.")
    var seed: UInt32 = 0

    @OptionGroup(title: "Confidence") var confidence: ConfidenceOptions

    @Option(name: .long, help: "A verifier file fitted on this model's chains (ponder train verifier), for best-of-n, confident-vote and check-and-revise; part of the run's identity.")
    var verifier: String?

    @Flag(name: .long, help: "Print the summaries as JSON.")
    var json = false

    @Flag(name: .long, help: "When expected answers changed since the run's results were stored, re-grade the stored answers against the new ones instead of refusing (same model and settings only).")
    var regrade = false

    @Option(name: .long, help: "Tools inside the reasoning for every setting: none (default), auto, or a list such as calculator,python.")
    var tools: String = "none"

    @OptionGroup(title: "Model") var modelOptions: ModelOptions
    @OptionGroup(title: "Code sandbox") var sandboxOptions: SandboxOptions

    func settings() throws -> [EvalSetting] {
        let strategyList = try strategies.split(separator: ",").map { name -> StrategyKind in
            guard let kind = StrategyKind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown strategy '\(name)'; use \(StrategyKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return kind
        }
        let effortList = try efforts.split(separator: ",").map { name -> Effort in
            guard let effort = Effort(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown effort '\(name)'; use \(Effort.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return effort
        }
        return strategyList.flatMap { strategy in effortList.map { EvalSetting(strategy: strategy, effort: $0) } }
    }

    mutating func validate() throws {
        if regrade, !action.isEmpty || write != nil { throw ValidationError("--regrade applies to running an evaluation only") }
        if let generate { try problemOptions.validate(family: generate) }
        if dataset != nil, problemOptions.templates != .all {
            throw ValidationError("--templates applies to generated problems (--generate) only")
        }
        if let verb = action.first {
            switch verb {
            case "compare":
                guard action.count == 3 else { throw ValidationError("compare takes two runs: ponder eval compare RUN_A RUN_B") }
                for name in action.dropFirst() { _ = try EvalComparison.parse(name) }
            case "chart":
                guard action.count >= 2 else { throw ValidationError("chart takes one or more runs: ponder eval chart [LABEL=]RUN[:strategy@effort] ... --report DIR") }
                guard report != nil else { throw ValidationError("chart needs --report DIR to write the chart and its table into") }
            case "runs":
                guard action.count == 1 else { throw ValidationError("runs takes no arguments") }
            case "select":
                guard action.count == 2 else { throw ValidationError("select takes one run: ponder eval select RUN[:strategy@effort] with the run's problem options") }
                _ = try EvalComparison.parse(action[1])
                guard (dataset == nil) != (generate == nil) else { throw ValidationError("select needs the run's --dataset or --generate options") }
            default:
                throw ValidationError("unknown eval action '\(verb)'; use compare, select, chart or runs, or options alone to run an evaluation")
            }
            return
        }
        guard (dataset == nil) != (generate == nil) else { throw ValidationError("give exactly one of --dataset or --generate") }
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let samples, !(1...64).contains(samples) { throw ValidationError("--samples must be in 1...64") }
        if let maxReasoningTokens, maxReasoningTokens < 1 { throw ValidationError("--max-reasoning-tokens must be at least 1") }
        if !(1...64).contains(parallel) { throw ValidationError("--parallel must be in 1...64") }
        if let runName, runName.isEmpty || runName.contains(":") { throw ValidationError("--run must be a non-empty name without ':'") }
        if write == nil { _ = try settings() }
    }

    /// Where the problems come from: `--dataset`, or `--generate` shaped by the problem options
    /// (nil before validation, when neither is given).
    var source: ProblemSource? {
        problemOptions.source(dataset: dataset, family: generate, seed: seed, count: count, limit: limit)
    }

    func problems() throws -> [EvalProblem] {
        try source.map(ProblemOptions.problems(of:)) ?? []
    }

    /// What a changed answer key does to the run (`--regrade`).
    var answerKeyChange: EvalSession.AnswerKeyChange { regrade ? .regrade : .refuse }

    /// Where the problems come from, as stored with the run (it names the run by default).
    var problemSource: String { source?.description ?? "" }

    func run() async throws {
        switch action.first {
        case "compare":
            return try await EvalComparison(store: try EvalStore(path: db), a: action[1], b: action[2]).print()
        case "chart":
            return try await EvalChart(store: try EvalStore(path: db), points: Array(action.dropFirst()), directory: report ?? "").write()
        case "runs":
            for id in try await EvalStore(path: db).runIDs() { print(id) }
            return
        case "select":
            let store = try EvalStore(path: db)
            var trained: TrainedVerifier?
            if let path = verifier {
                trained = try TrainedVerifier.load(path: path, for: try await store.run(id: try EvalComparison.parse(action[1]).run).model)
            }
            return try await EvalSelection(store: store, runID: action[1], problems: try problems(), verifier: trained, dataset: problemSource).print()
        default:
            break
        }
        let problems = try problems()
        if let write {
            try problems.write(to: URL(fileURLWithPath: write))
            Terminal.error("wrote \(problems.count) problems to \(write)\n")
            return
        }
        let settings = try settings()
        let selection = try ToolSelection(parsing: tools)
        // One sandbox level for graded code and the python tool, set up (or refused) before the
        // model loads; the run records it.
        let setup: EvalSetup
        do {
            setup = try EvalSetup(problems: problems, settings: settings, tools: selection) { try sandboxOptions.makeSandbox() }
        } catch EvalSetupError.toolsStrategyWithoutTools {
            throw ValidationError("the tools strategy needs tools: add --tools calculator (or auto, or calculator,python)")
        }
        if let sandbox = setup.sandbox { Terminal.error(sandbox.report + "\n") }
        let store = try EvalStore(path: db)
        let model = try await modelOptions.makeLanguageModel()
        let reasoner = Reasoner(model: model, prompt: try modelOptions.reasoningPrompt())
        let trained = try modelOptions.trainedVerifier(path: verifier, for: model)
        let info = EvalRunInfo(id: runName, model: try modelOptions.identity(of: model), prompt: reasoner.prompt.label,
                               dataset: problemSource, seed: seed, samples: samples, maxReasoningTokens: maxReasoningTokens,
                               tools: setup.toolNames, sandbox: setup.sandboxDescription,
                               confidence: Self.selectionDescription(try confidence.settings(), verifier: trained))
        let runner = setup.runner(reasoner: reasoner, samples: samples, maxReasoningTokens: maxReasoningTokens, seed: seed,
                                  confidence: try confidence.settings(), trainedVerifier: trained)
        Terminal.error("run \(info.id) → \(db)\n")
        let started = Date()
        let session = EvalSession(runner: runner, store: store, info: info, concurrency: parallel, answerKeyChange: answerKeyChange)
        let summaries = try await session.run(problems, settings: settings) { state in
            Terminal.error(Terminal.stderrIsTerminal ? "\r\u{1B}[2K" + state.line : state.line + "\n")
        }
        if Terminal.stderrIsTerminal { Terminal.error("\n") }
        let evalReport = EvalReport(info: info, summaries: summaries, wallSeconds: Date().timeIntervalSince(started))
        if let report {
            let paths = try evalReport.write(to: report)
            Terminal.error("wrote \(paths.table) and \(paths.chart)\n")
        }
        if json {
            try JSONOutput.print(summaries, slashes: .escaped)
            return
        }
        print(evalReport.table)
    }

    /// How chains are selected, as stored with the run: what differs from the default confidence
    /// settings, and the trained verifier's file digest.
    static func selectionDescription(_ settings: ConfidenceSettings, verifier: TrainedVerifier?) -> String {
        [settings.runDescription, verifier.map { "verifier \($0.digest)" } ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")
    }
}
