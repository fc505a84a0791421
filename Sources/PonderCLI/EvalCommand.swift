import ArgumentParser
import Foundation
import PonderEval
import PonderLlama
import PonderReasoning

/// `ponder eval`: accuracy against compute for strategies and efforts on a dataset or on seeded,
/// generated problems. (First version: results are printed; storage and charts come later.)
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure accuracy and compute of reasoning strategies.",
        discussion: """
            Problems come from --dataset (GSM8K, MATH, multiple-choice or HumanEval JSONL) or --generate \
            (arithmetic, word-problems; seeded and reproducible). With --write, generated problems are saved \
            as JSONL and nothing is run.
            """)

    @Option(name: .long, help: "A JSONL dataset (.jsonl or .jsonl.gz).")
    var dataset: String?

    @Option(name: .long, help: "Generate problems instead: arithmetic or word-problems.")
    var generate: ProblemGenerator.Family?

    @Option(name: .long, help: "How many problems to generate.")
    var count: Int = 50

    @Option(name: .long, help: "Difficulty level of generated problems (default: cycle through all).")
    var difficulty: Int?

    @Option(name: .long, help: "Arithmetic only: digits per operand (1...4).")
    var digits: Int?

    @Option(name: .long, help: "Arithmetic only: operations per problem (1...3).")
    var operations: Int = 1

    @Option(name: .long, help: "Arithmetic only: operators to use, e.g. + or +,-,×,÷.")
    var operators: String = "+,-,×,÷"

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

    @Option(name: .customLong("max-reasoning-tokens"), help: "Reasoning-token budget per chain (default: the effort's).")
    var maxReasoningTokens: Int?

    @Option(name: .long, help: "Seed for generation and sampling.")
    var seed: UInt32 = 0

    @Flag(name: .long, help: "Print the summaries as JSON.")
    var json = false

    @OptionGroup(title: "Model") var modelOptions: ModelOptions

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
        guard (dataset == nil) != (generate == nil) else { throw ValidationError("give exactly one of --dataset or --generate") }
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let samples, !(1...64).contains(samples) { throw ValidationError("--samples must be in 1...64") }
        if let maxReasoningTokens, maxReasoningTokens < 1 { throw ValidationError("--max-reasoning-tokens must be at least 1") }
        if write == nil { _ = try settings() }
    }

    func problems() throws -> [EvalProblem] {
        if let dataset { return try DatasetLoader.load(path: dataset, limit: limit) }
        guard let generate else { return [] }
        var problems: [EvalProblem]
        if generate == .arithmetic, let digits {
            let symbols = Set(operators.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let chosen = Set(ArithmeticOperator.allCases.filter { symbols.contains($0.rawValue) || symbols.contains($0.symbol) })
            guard !chosen.isEmpty else { throw ValidationError("--operators names none of + - × ÷") }
            let options = try ArithmeticOptions(digits: digits, operations: operations, operators: chosen)
            problems = try ArithmeticGenerator(seed: UInt64(seed)).generate(count: count, options: options)
        } else {
            problems = try ProblemGenerator(family: generate, seed: UInt64(seed)).generate(count: count, difficulty: difficulty)
        }
        if let limit { problems = Array(problems.prefix(limit)) }
        return problems
    }

    func run() async throws {
        let problems = try problems()
        if let write {
            try problems.write(to: URL(fileURLWithPath: write))
            Terminal.error("wrote \(problems.count) problems to \(write)\n")
            return
        }
        let model = try await modelOptions.makeLanguageModel()
        let runner = EvalRunner(reasoner: Reasoner(model: model), samples: samples, maxReasoningTokens: maxReasoningTokens, seed: seed)
        var summaries: [EvalSummary] = []
        let settings = try settings()
        let total = settings.count * problems.count
        let started = Date()
        var done = 0
        for setting in settings {
            var records: [EvalRecord] = []
            for (index, problem) in problems.enumerated() {
                records.append(try await runner.run(problem, index: index, setting: setting))
                done += 1
                let elapsed = Date().timeIntervalSince(started)
                let eta = elapsed / Double(done) * Double(total - done)
                let accuracy = 100 * Double(records.filter(\.correct).count) / Double(records.count)
                let line = String(format: "[%d/%d] %@ accuracy %.1f%% · ETA %@", done, total, setting.description, accuracy, Self.duration(eta))
                Terminal.error(Terminal.stderrIsTerminal ? "\r\u{1B}[2K" + line : line + "\n")
            }
            summaries.append(EvalSummary(setting: setting, records: records))
        }
        if Terminal.stderrIsTerminal { Terminal.error("\n") }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summaries), as: UTF8.self))
            return
        }
        print("| setting | n | accuracy | 95% CI | any chain | reasoning tok | answer tok | seconds |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for s in summaries {
            print(String(format: "| %@ | %d | %.1f%% | %.0f–%.0f%% | %.1f%% | %.0f | %.0f | %.2f |", s.setting.description, s.count,
                         100 * s.accuracy, 100 * s.interval.lowerBound, 100 * s.interval.upperBound, 100 * s.anyChainAccuracy,
                         s.meanReasoningTokens, s.meanAnswerTokens, s.meanSeconds))
        }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

extension ProblemGenerator.Family: ExpressibleByArgument {}
