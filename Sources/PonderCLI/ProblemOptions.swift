import ArgumentParser
import PonderEval

/// The shape of generated problems, shared by `ponder eval` and `ponder train star`: the difficulty
/// and, for arithmetic, digits, operations and operators. Each command keeps its own choice of
/// dataset or family, count and seed (their names and defaults differ) and hands them to
/// ``generation(_:seed:count:)`` or ``source(dataset:family:seed:count:limit:)``.
struct ProblemOptions: ParsableArguments {
    @Option(name: .long, help: "Difficulty level of generated problems (default: cycle through all).")
    var difficulty: Int?

    @Option(name: .long, help: "The templates drawn from (recorded with the run): all; for word-problems fit or held-out (two halves); for story-problems training, validation or held-out.")
    var templates: TemplateSelection = .all

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

    /// The problems of `source`; operators naming none of + - × ÷ and templates the family does
    /// not have are refused in the words of the `--operators` and `--templates` flags.
    static func problems(of source: ProblemSource) throws -> [EvalProblem] {
        do {
            return try source.problems()
        } catch ProblemSourceError.noKnownOperators {
            throw ValidationError("--operators names none of + - × ÷")
        } catch let ProblemSourceError.generator(.templatesDoNotApply(family, templates)) {
            throw ValidationError(Self.templatesRefusal(family: family, templates: templates))
        }
    }

    /// Refuses `--templates` values the family does not have (before any model is loaded).
    func validate(family: ProblemGenerator.Family) throws {
        guard family.templateSelections.contains(templates) else {
            throw ValidationError(Self.templatesRefusal(family: family, templates: templates))
        }
    }

    /// The one-line refusal: `--templates fit does not apply to story-problems: use all, training, validation or held-out`.
    static func templatesRefusal(family: ProblemGenerator.Family, templates: TemplateSelection) -> String {
        "--templates \(templates.rawValue) does not apply to \(family.rawValue): use \(family.templateChoices)"
    }
}

extension ProblemGenerator.Family: ExpressibleByArgument {}
extension TemplateSelection: ExpressibleByArgument {}
