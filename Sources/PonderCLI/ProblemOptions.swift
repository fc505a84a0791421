import ArgumentParser
import PonderEval

/// The shape of generated problems, shared by `ponder eval` and `ponder train star`: the difficulty
/// and, for arithmetic, digits, operations and operators. Each command keeps its own choice of
/// dataset or family, count and seed (their names and defaults differ) and hands them to
/// ``generation(_:seed:count:)`` or ``source(dataset:family:seed:count:limit:)``.
struct ProblemOptions: ParsableArguments {
    @Option(name: .long, help: "Difficulty level of generated problems (default: cycle through all).")
    var difficulty: Int?

    @Option(name: .long, help: "Word problems only: the templates drawn from: all, fit (one half, for fitting) or held-out (the other half, for measuring).")
    var templates: WordProblemGenerator.Templates = .all

    @Option(name: .long, help: "Arithmetic only: digits per operand (1...4).")
    var digits: Int?

    @Option(name: .long, help: "Arithmetic only: operations per problem (1...3).")
    var operations: Int = 1

    @Option(name: .long, help: "Arithmetic only: operators to use, e.g. + or +,-,×,÷.")
    var operators: String = "+,-,×,÷"

    /// `count` problems of `family` from `seed`, shaped by these options: with `--digits`,
    /// arithmetic takes the exact shape instead of the difficulty levels.
    func generation(_ family: ProblemGenerator.Family, seed: UInt32, count: Int) -> ProblemSource.Generation {
        let shape = digits.map { ProblemSource.ArithmeticShape(digits: $0, operations: operations, operators: operators) }
        return ProblemSource.Generation(family: family, seed: UInt64(seed), count: count, difficulty: difficulty,
                                        arithmetic: family == .arithmetic ? shape : nil, templates: templates)
    }

    /// The dataset at `dataset`, else generated `family` problems; nil when neither is given.
    func source(dataset: String?, family: ProblemGenerator.Family?, seed: UInt32, count: Int, limit: Int? = nil) -> ProblemSource? {
        if let dataset { return .dataset(dataset, limit: limit) }
        return family.map { .generated(generation($0, seed: seed, count: count), limit: limit) }
    }

    /// The problems of `source`; operators naming none of + - × ÷ are refused in the words of
    /// the `--operators` flag.
    static func problems(of source: ProblemSource) throws -> [EvalProblem] {
        do {
            return try source.problems()
        } catch ProblemSourceError.noKnownOperators {
            throw ValidationError("--operators names none of + - × ÷")
        }
    }
}

extension ProblemGenerator.Family: ExpressibleByArgument {}
extension WordProblemGenerator.Templates: ExpressibleByArgument {}
