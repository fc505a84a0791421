import ArgumentParser
import Foundation
import PonderCore
import PonderEval
import PonderReasoning
import PonderTools
import PonderTraining

/// `ponder train verifier`: sample chains on generated problems, label them with the answer library
/// (and the process check), fit a logistic verifier over chain features, and write its file.
struct TrainVerifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verifier",
        abstract: "Fit a verifier on the model's own labelled chains and write its file (for --verifier).",
        discussion: """
            Samples best-of-n chains (each judged by the model's P("Yes")) on generated problems of every family and \
            difficulty level, with and without the calculator, into --dir/chains.sqlite: running the same command \
            again resumes. Each chain is labelled by the answer library (and, unless --no-process-check, by checking \
            its arithmetic). The fit is split by problem: the report (AUC, calibration, best-of-n accuracy) is on \
            problems it never saw. The file is keyed by the model's content and refused for any other model. \
            See docs/REASONING.md.
            """)

    @Option(name: .long, help: "Where the verifier file is written.")
    var out: String

    @Option(name: .long, help: "Directory of the sampled chains (chains.sqlite); the same command resumes there.")
    var dir: String = "runs/verifier"

    @Option(name: .long, help: "Problems per family and tool setting.")
    var count: Int = 60

    @Option(name: .long, help: "Seed of the first sampling run (each family and tool setting adds to it).")
    var seed: UInt32 = 4100

    @Option(name: .long, help: "Problem families, comma-separated: word-problems, arithmetic, story-problems.")
    var families: String = "word-problems,arithmetic"

    @Option(name: .customLong("tool-settings"), help: "Tool settings each family is sampled under, comma-separated: none, calculator.")
    var toolSettings: String = "none,calculator"

    @Option(name: .long, help: "Templates sampled from (default: those kept for fitting, so held-out templates stay unseen: fit for word-problems, training for story-problems): all, held-out, or fit (word-problems) or training/validation (story-problems).")
    var templates: TemplateSelection?

    @Option(name: .long, help: "Effort of the sampled chains.")
    var effort: Effort = .high

    @Option(name: .long, help: "Chains per problem (2...64).")
    var samples: Int = 8

    @Option(name: .customLong("max-reasoning-tokens"), help: "Reasoning-token budget per chain.")
    var maxReasoningTokens: Int = 128

    @Option(name: .customLong("test-share"), help: "Share of problems held out of the fit for the report (0.05...0.5).")
    var testShare: Double = 0.25

    @Option(name: .long, help: "Questions answered at once (1...64).")
    var parallel: Int = 1

    @Flag(name: .customLong("no-process-check"), help: "Label by the final answer only, not also by checking each arithmetic step.")
    var noProcessCheck = false

    @OptionGroup(title: "Model") var modelOptions: ModelOptions

    /// One sampling run: a family under a tool setting.
    struct Part {
        var family: ProblemGenerator.Family
        var tools: String
        var seed: UInt32
        var templates: TemplateSelection
    }

    /// The templates `family` is sampled from: `--templates`, else the ones kept for fitting (word
    /// problems' fit half, story problems' training split); arithmetic has none.
    func templates(for family: ProblemGenerator.Family) throws -> TemplateSelection {
        guard family.templateSelections.count > 1 else { return .all }
        let chosen = templates ?? (family == .storyProblems ? .training : .fit)
        guard family.templateSelections.contains(chosen) else {
            throw ValidationError(ProblemOptions.templatesRefusal(family: family, templates: chosen))
        }
        return chosen
    }

    func parts() throws -> [Part] {
        let familyList = try families.split(separator: ",").map { name -> ProblemGenerator.Family in
            guard let family = ProblemGenerator.Family(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown family '\(name)'; use " + ProblemGenerator.Family.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return family
        }
        let toolList = try toolSettings.split(separator: ",").map { name -> String in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard trimmed == "none" || trimmed == "calculator" else {
                throw ValidationError("unknown tool setting '\(trimmed)'; use none or calculator")
            }
            return trimmed
        }
        guard !familyList.isEmpty, !toolList.isEmpty else { throw ValidationError("give at least one family and one tool setting") }
        return try familyList.enumerated().flatMap { f, family -> [Part] in
            let chosen = try templates(for: family)
            return toolList.enumerated().map { t, tools in
                Part(family: family, tools: tools, seed: seed &+ UInt32(10 * f + t), templates: chosen)
            }
        }
    }

    mutating func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard (2...64).contains(samples) else { throw ValidationError("--samples must be in 2...64 (agreement needs other chains)") }
        guard maxReasoningTokens >= 1 else { throw ValidationError("--max-reasoning-tokens must be at least 1") }
        guard testShare.isFinite, (0.05...0.5).contains(testShare) else { throw ValidationError("--test-share must be in 0.05...0.5") }
        guard (1...64).contains(parallel) else { throw ValidationError("--parallel must be in 1...64") }
        guard effort != .none, effort != .auto else { throw ValidationError("--effort must be low, medium or high") }
        _ = try parts()
    }

    func run() async throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let store = try EvalStore(path: (dir as NSString).appendingPathComponent("chains.sqlite"))
        let model = try await modelOptions.makeLanguageModel()
        let identity = try modelOptions.identity(of: model)
        let reasoner = Reasoner(model: model, prompt: try modelOptions.reasoningPrompt())
        let setting = EvalSetting(strategy: .bestOfN, effort: effort)
        var questions: [LabelledQuestion] = []
        let process = noProcessCheck ? nil : TrainingVerifiers.arithmetic
        for part in try parts() {
            let source = ProblemSource.generated(.init(family: part.family, seed: UInt64(part.seed), count: count, templates: part.templates))
            let problems = try ProblemOptions.problems(of: source)
            let setup = try EvalSetup(problems: problems, settings: [setting], tools: try ToolSelection(parsing: part.tools)) {
                throw ValidationError("no sandbox is needed for the calculator")
            }
            let info = EvalRunInfo(id: "verifier-\(part.family.rawValue)-\(part.tools)-s\(part.seed)", model: identity,
                                   prompt: reasoner.prompt.label, dataset: source.description, seed: part.seed, samples: samples,
                                   maxReasoningTokens: maxReasoningTokens, tools: setup.toolNames, sandbox: setup.sandboxDescription)
            let runner = setup.runner(reasoner: reasoner, samples: samples, maxReasoningTokens: maxReasoningTokens, seed: part.seed)
            Terminal.error("sampling \(info.id): \(source.description), tools \(part.tools)\n")
            let session = EvalSession(runner: runner, store: store, info: info, concurrency: parallel)
            _ = try await session.run(problems, settings: [setting]) { state in
                Terminal.error(Terminal.stderrIsTerminal ? "\r\u{1B}[2K" + state.line : state.line + "\n")
            }
            if Terminal.stderrIsTerminal { Terminal.error("\n") }
            let byID = Dictionary(problems.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for record in try await store.records(run: info.id) where record.setting == setting {
                guard let json = record.traceJSON, let problem = byID[record.problemID],
                      let trace = try? JSONDecoder().decode(ReasoningTrace.self, from: Data(json.utf8)),
                      let question = LabelledQuestion(trace: trace, problem: problem, processVerifier: process) else { continue }
                questions.append(question)
            }
        }
        let (train, test) = VerifierFit.split(questions, testShare: testShare)
        let command = (["ponder"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let file = try VerifierFit().fit(train: train, test: test, model: identity, command: command,
                                         label: noProcessCheck ? "answer" : "answer+process")
        let data = try file.encoded()
        try data.write(to: URL(fileURLWithPath: out), options: .atomic)
        print(Self.describe(file.report, out: out))
        if let rule = file.auto, let auto = file.report.auto {
            print("auto rule: \(rule); held out: \(String(format: "%.1f%%", 100 * auto.accuracy)) with \(String(format: "%.2f", auto.meanChains)) chains on average, against \(String(format: "%.1f%%", 100 * auto.quickMajority)) for the first \(rule.quickChains) and \(String(format: "%.1f%%", 100 * auto.fullMajority)) for all \(auto.chains)")
        }
    }

    /// The report for a person.
    static func describe(_ report: VerifierReport, out: String) -> String {
        func percent(_ value: Double) -> String { String(format: "%.1f%%", 100 * value) }
        var lines = [
            "wrote \(out)",
            "fitted on \(report.trainProblems) problems (\(report.trainChains) chains); held out \(report.testProblems) problems (\(report.testChains) chains, \(percent(report.positiveShare)) right)",
            String(format: "held-out AUC %.3f (alone: %.3f), Brier %.3f, calibration error %.3f", report.auc, report.singleAUC, report.brier, report.calibrationError),
            "held-out problems right: best-of-n with this verifier \(percent(report.bestOfN)), majority \(percent(report.majority)), P(\"Yes\") judge \(percent(report.judgeBestOfN)), any chain \(percent(report.anyChain))",
            "calibration (predicted → observed, chains):",
        ]
        for bin in report.calibration {
            lines.append(String(format: "  %.1f–%.1f: %.2f → %.2f (%d)", bin.low, bin.high, bin.predicted, bin.observed, bin.chains))
        }
        lines.append("feature AUC alone: " + report.featureAUC.sorted { $0.key < $1.key }.map { "\($0.key) " + String(format: "%.3f", $0.value) }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
