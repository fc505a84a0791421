import ArgumentParser
import Foundation
import PonderCore
import PonderEval
import PonderLlama
import PonderTraining

/// `ponder train star`: rounds of sample → verify → rationalize → fine-tune → evaluate.
struct TrainStarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "star",
        abstract: "Run STaR rounds: sample chains, keep the verified ones, fine-tune locally, keep the model only if it is better.",
        discussion: """
            Problems come from --task (generated; the held-out set uses --heldout-seed) or from --dataset with \
            --heldout. The run directory (--out) holds every stage's state: run the same command again to \
            resume a killed run.
            """)

    @Option(name: .long, help: "The GGUF model to start from (default: the bootstrapped SmolLM2-135M-Instruct).")
    var base: String?

    @Option(name: .long, help: "Generate problems: arithmetic, word-problems or story-problems.")
    var task: ProblemGenerator.Family?

    @Option(name: .long, help: "Training problems from a JSONL dataset instead.")
    var dataset: String?

    @Option(name: .long, help: "Held-out problems from a JSONL dataset (required with --dataset).")
    var heldout: String?

    @Option(name: .long, help: "How many training problems to generate.")
    var count: Int = 200

    @Option(name: .customLong("heldout-count"), help: "How many held-out problems to generate.")
    var heldoutCount: Int = 100

    @Option(name: .long, help: "Seed of the generated training problems and of sampling.")
    var seed: UInt32 = 1

    @Option(name: .customLong("heldout-seed"), help: "Seed of the generated held-out problems (must differ from --seed).")
    var heldoutSeed: UInt32 = 2

    @OptionGroup var problemOptions: ProblemOptions

    @Flag(name: .customLong("template-split"), help: "story-problems: train on the training templates, decide every round on the validation templates, and measure the held-out templates only once the run ended (--test-count, --test-seed).")
    var templateSplit = false

    @Option(name: .customLong("test-count"), help: "With --template-split: how many held-out-template problems to measure at the end.")
    var testCount: Int = 200

    @Option(name: .customLong("test-seed"), help: "With --template-split: seed of the held-out-template problems (must differ from --seed and --heldout-seed).")
    var testSeed: UInt32 = 3

    @Option(name: .customLong("behaviour-prompts"), help: "Everyday prompts (none trained on) measured once the run ended: the share of greedy answers that end their turn, and the perplexity of the base model's answers, for the base, the control and every accepted round (0...\(BehaviourPrompts.all.count); 0 skips).")
    var behaviourPrompts: Int = BehaviourPrompts.all.count

    @Option(name: .long, help: "Most rounds (1...20).")
    var rounds: Int = 2

    @Option(name: .long, help: "Chains sampled per problem in one parallel batch (1...64).")
    var samples: Int = 8

    @Option(name: .customLong("rationalization-samples"), help: "Chains sampled with the answer as a hint for unsolved problems (0 turns rationalization off).")
    var rationalizationSamples: Int = 4

    @Option(name: .customLong("max-reasoning-tokens"), help: "Reasoning-token budget per sampled chain.")
    var maxReasoningTokens: Int = 192

    @Option(name: .customLong("eval-reasoning-tokens"), help: "Reasoning-token budget of the held-out evaluation (default: effort low's).")
    var evalReasoningTokens: Int?

    @Option(name: .long, help: "Sampling temperature of the chains.")
    var temperature: Double = 0.7

    @Option(name: .long, help: "Epochs per fine-tune (validation loss may stop it earlier).")
    var epochs: Int = 2

    @Option(name: .customLong("learning-rate"), help: "AdamW learning rate.")
    var learningRate: Double = 1e-5

    @Option(name: .customLong("trainable-layers"), help: "Train only the last N transformer blocks (default: all llama.cpp trains).")
    var trainableLayers: Int?

    @Option(name: .long, help: "Tokens per training window (a multiple of 256); longer conversations are dropped.")
    var window: Int = 256

    @Option(name: .customLong("validation-share"), help: "Share of kept chains held back for validation loss and early stopping.")
    var validationShare: Double = 0.1

    @Option(name: .customLong("replay-share"), help: "Base-model answers to unrelated prompts mixed in, per kept chain.")
    var replayShare: Double = 0.2

    @Option(name: .long, help: "Weight type of the shipped model: q8_0, f16 or f32.")
    var quantization: WeightType = .q8_0

    @Option(name: .customLong("loss-on"), help: "Tokens the loss covers: assistant (its own turn; the prompt, question and padding are masked) or all (every position, as llama.cpp trains).")
    var lossOn: FineTuneSettings.LossScope = .assistant

    @Option(name: .long, help: "Tools inside the sampled chains and the held-out evaluation: none or calculator (its results stay in the kept chains, their loss masked).")
    var tools: String = "none"

    @Option(name: .long, help: "The run directory.")
    var out: String

    @Option(name: .long, help: "CPU threads.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .customLong("no-process-check"), help: "Check only final answers, not the arithmetic of each step.")
    var noProcessCheck = false

    @Flag(name: .long, help: "Print the final report as JSON.")
    var json = false

    mutating func validate() throws {
        guard (dataset == nil) != (task == nil) else { throw ValidationError("give exactly one of --task or --dataset") }
        if dataset != nil, heldout == nil { throw ValidationError("--dataset needs --heldout") }
        if task != nil, seed == heldoutSeed { throw ValidationError("--heldout-seed must differ from --seed") }
        guard count >= 1, heldoutCount >= 1 else { throw ValidationError("--count and --heldout-count must be at least 1") }
        if templateSplit {
            guard task == .storyProblems else { throw ValidationError("--template-split applies to --task story-problems only") }
            guard problemOptions.templates == .all else { throw ValidationError("--template-split chooses the templates itself: leave out --templates") }
            guard testCount >= 1 else { throw ValidationError("--test-count must be at least 1") }
            guard testSeed != seed, testSeed != heldoutSeed else { throw ValidationError("--test-seed must differ from --seed and --heldout-seed") }
        }
        guard (0...BehaviourPrompts.all.count).contains(behaviourPrompts) else {
            throw ValidationError("--behaviour-prompts must be in 0...\(BehaviourPrompts.all.count), not \(behaviourPrompts)")
        }
        guard (1...512).contains(threads) else { throw ValidationError("--threads must be in 1...512") }
        guard ["none", "calculator"].contains(tools) else { throw ValidationError("--tools must be none or calculator, not '\(tools)'") }
        do { _ = try starConfiguration() } catch { throw ValidationError("\(error)") }
    }

    func starConfiguration() throws -> StarConfiguration {
        let fineTune = try FineTuneSettings(epochs: epochs, learningRate: learningRate, trainableLayers: trainableLayers, window: window,
                                            validationShare: validationShare, replayShare: replayShare, quantization: quantization,
                                            seed: UInt64(seed), lossScope: lossOn)
        return try StarConfiguration(baseModel: base ?? DefaultModel.path, outputDirectory: out, rounds: rounds, samples: samples,
                                     rationalizationSamples: rationalizationSamples, maxReasoningTokens: maxReasoningTokens,
                                     temperature: temperature, evaluationReasoningTokens: evalReasoningTokens, seed: seed, fineTune: fineTune,
                                     calculator: tools == "calculator")
    }

    /// Training, held-out (deciding) and test problems. Generated training problems skip held-out
    /// questions. With --template-split each set comes from its own templates, and the test set
    /// from the held-out templates; otherwise there is no test set.
    func problems() throws -> (train: [EvalProblem], heldOut: [EvalProblem], test: [EvalProblem]) {
        if let dataset, let heldout {
            return (try ProblemOptions.problems(of: .dataset(dataset)), try ProblemOptions.problems(of: .dataset(heldout)), [])
        }
        guard let task else { return ([], [], []) }
        func options(_ templates: TemplateSelection) -> ProblemOptions {
            var options = problemOptions
            if templateSplit { options.templates = templates }
            return options
        }
        let heldOut = try ProblemOptions.problems(of: .generated(options(.validation).generation(task, seed: heldoutSeed, count: heldoutCount)))
        let test = templateSplit ? try ProblemOptions.problems(of: .generated(options(.heldOut).generation(task, seed: testSeed, count: testCount))) : []
        let taken = Set((heldOut + test).map { $0.question.lowercased() })
        var seen = Set<String>()
        let train = try ProblemOptions.problems(of: .generated(options(.training).generation(task, seed: seed, count: count * 2))).filter {
            let key = $0.question.lowercased()
            return !taken.contains(key) && seen.insert(key).inserted
        }
        return (Array(train.prefix(count)), heldOut, test)
    }

    func run() async throws {
        let configuration = try starConfiguration()
        let (train, heldOut, test) = try problems()
        let started = Date()
        let hooks = StarHooks(
            status: { line in
                if Terminal.stderrIsTerminal { Terminal.error("\r\u{1B}[2K") }
                Terminal.error(line + "\n")
            },
            progress: { progress in
                let width = 24
                let filled = Int(Double(width) * Double(progress.step) / Double(max(progress.totalSteps, 1)))
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                let line = String(format: "%@ step %d/%d · epoch %d · loss %.4f · ETA %@", bar, progress.step, progress.totalSteps,
                                  progress.epoch, progress.loss, Self.duration(progress.secondsLeft))
                Terminal.error(Terminal.stderrIsTerminal ? "\r\u{1B}[2K" + line : line + "\n")
            })
        let loop = try StarLoop(configuration: configuration, trainProblems: train, heldOut: heldOut, testProblems: test,
                                behaviourPrompts: Array(BehaviourPrompts.all.prefix(behaviourPrompts)),
                                backend: LlamaTrainingBackend(maxSequences: max(samples, 4), threads: threads),
                                processVerifier: noProcessCheck ? nil : TrainingVerifiers.arithmetic, hooks: hooks)
        let report = try await loop.run()
        if Terminal.stderrIsTerminal { Terminal.error("\n") }
        if json {
            try JSONOutput.print(report)
            return
        }
        print(String(format: "base model: %.1f%% held-out (%d/%d, cot greedy)", 100 * report.baseline.accuracy,
                     report.baseline.correct, report.baseline.count))
        for round in report.rounds {
            let counts = round.counts
            let verdict = round.accepted == true ? "accepted" : "rejected (the earlier model stays)"
            print(String(format: "round %d: %d chains sampled, %d kept, %d problems rationalized (%d kept), %d replay; %@ training tokens; held-out %@ → %@",
                         round.round, counts.chainsSampled, counts.chainsKept, counts.problemsRationalized, counts.rationalizedKept,
                         counts.replayExamples, round.fineTune.map { "\($0.trainingTokens)" } ?? "-",
                         String(format: "%.1f%%", 100 * round.startAccuracy),
                         round.evaluation.map { String(format: "%.1f%%", 100 * $0.accuracy) } ?? "-") + "; " + verdict)
            if let fineTune = round.fineTune {
                print("  loss per epoch: " + fineTune.epochLoss.map { String(format: "%.4f", $0) }.joined(separator: " → ")
                      + "; validation: " + fineTune.validationLoss.map { String(format: "%.4f", $0) }.joined(separator: " → ")
                      + (fineTune.toolMaskedTokens.map { $0 > 0 ? "; \($0) tool-result tokens masked" : "" } ?? "")
                      + (fineTune.droppedUnplaceable.map { $0 > 0 ? "; \($0) examples dropped (masked spans not placeable)" : "" } ?? ""))
            }
        }
        print(String(format: "final model: %@ (%.1f%% held-out)%@; %@", report.finalModel, 100 * report.finalAccuracy,
                     report.stoppedEarly ? ", stopped early" : "", Self.duration(Date().timeIntervalSince(started))))
        for result in report.test ?? [] {
            print(String(format: "test (held-out templates, measured after the run): %@%@ %.1f%% (%d/%d, %.0f–%.0f%%), %.1f reasoning tokens", result.model,
                         result.budget.map { " given \($0) reasoning tokens" } ?? "",
                         100 * result.accuracy, result.correct, result.count, 100 * result.low, 100 * result.high, result.meanReasoningTokens))
        }
        for result in report.behaviour ?? [] {
            print(String(format: "behaviour (everyday prompts): %@ ends its turn on %d/%d (%.0f%%), %.1f tokens per answer; perplexity of the base's answers %@",
                         result.model, result.endedTurn, result.prompts, 100 * result.endedTurnShare, result.meanAnswerTokens,
                         result.perplexity.map { String(format: "%.3f over %d tokens", $0, result.scoredTokens) } ?? "- (no F32 weights)"))
        }
        if report.finalModel != configuration.baseModel {
            print("use it: ponder ask --model \(report.finalModel) \"What is 17 + 25?\"")
            if templateSplit {
                let db = (out as NSString).appendingPathComponent("compare.sqlite")
                let problems = "--generate story-problems --templates held-out --count \(testCount) --seed \(testSeed) --tools \(tools)"
                print("compare per question: ponder eval \(problems) --strategies cot --efforts low --db \(db) --run base --model \(configuration.baseModel)")
                print("                      ponder eval \(problems) --strategies cot --efforts low --db \(db) --run tuned --model \(report.finalModel)")
                print("                      ponder eval compare base tuned --db \(db)")
            }
        }
    }
}

extension TrainStarCommand {
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

extension WeightType: ExpressibleByArgument {}
extension FineTuneSettings.LossScope: ExpressibleByArgument {}
