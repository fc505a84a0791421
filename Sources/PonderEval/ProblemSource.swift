/// Where a run's problems come from: a JSONL dataset file, or a seeded generator. `ponder eval` and
/// `ponder train star` both build one from their options, so loading, generator dispatch and the
/// description stored with a run live here once.
///
/// A source is a plain description of the request; its values are checked when ``problems()``
/// makes the problems, which throws a ``ProblemSourceError``.
///
/// ```swift
/// let file = ProblemSource.dataset("data/gsm8k_test.jsonl", limit: 100)
/// file.description        // "data/gsm8k_test.jsonl (first 100)"
///
/// let shape = ProblemSource.ArithmeticShape(digits: 2, operations: 1, operators: "+,-")
/// let sums = ProblemSource.generated(.init(family: .arithmetic, seed: 7, count: 20, arithmetic: shape))
/// sums.description        // "generated arithmetic count=20 seed=7 digits=2 operations=1 operators=+,-"
/// let problems = try sums.problems()   // 20 seeded "What is AB + CD?" questions
/// ```
public struct ProblemSource: Sendable, Hashable, CustomStringConvertible {
    /// The two kinds of source.
    public enum Origin: Sendable, Hashable {
        /// A JSONL dataset (GSM8K, MATH, multiple choice or HumanEval; plain or gzip), read by ``DatasetLoader``.
        case dataset(path: String)
        /// Problems made by a seeded generator.
        case generated(Generation)
    }

    /// What a generator makes: the family, the seed, how many, and the shape of each problem.
    public struct Generation: Sendable, Hashable {
        /// The family generated.
        public var family: ProblemGenerator.Family
        /// The seed every problem is derived from; the same seed gives the same problems.
        public var seed: UInt64
        /// How many problems to make (0 or more; checked by the generator).
        public var count: Int
        /// The difficulty level (see ``ProblemGenerator/Family/difficulties``), or `nil` to cycle
        /// through all levels. Ignored when ``arithmetic`` shapes arithmetic problems.
        public var difficulty: Int?
        /// The exact shape of arithmetic problems, used instead of the difficulty levels; ignored
        /// for other families.
        public var arithmetic: ArithmeticShape?
        /// The templates drawn from (all by default): one of the family's
        /// ``ProblemGenerator/Family/templateSelections``; ``problems()`` refuses any other.
        public var templates: TemplateSelection

        /// Creates a generation request.
        public init(family: ProblemGenerator.Family, seed: UInt64, count: Int, difficulty: Int? = nil,
                    arithmetic: ArithmeticShape? = nil, templates: TemplateSelection = .all) {
            self.templates = templates
            self.family = family
            self.seed = seed
            self.count = count
            self.difficulty = difficulty
            self.arithmetic = arithmetic
        }

        /// The shape that applies: ``arithmetic`` for the arithmetic family, else `nil`.
        var appliedShape: ArithmeticShape? { family == .arithmetic ? arithmetic : nil }
    }

    /// The shape of an arithmetic question as given on a command line, turned into
    /// ``ArithmeticOptions`` when problems are made.
    public struct ArithmeticShape: Sendable, Hashable {
        /// Digits per operand (see ``ArithmeticOptions/digitRange``).
        public var digits: Int
        /// Operators per question (see ``ArithmeticOptions/operationRange``).
        public var operations: Int
        /// The operators, comma-separated symbols such as `"+,-,×,÷"`. Kept as given: it is part
        /// of the description stored with a run. Unknown symbols are skipped; at least one must be known.
        public var operators: String

        /// Creates a shape; values are checked by ``options()``.
        public init(digits: Int, operations: Int = 1, operators: String = "+,-,×,÷") {
            self.digits = digits
            self.operations = operations
            self.operators = operators
        }

        /// The operators ``operators`` names (spaces around each symbol are ignored).
        public var parsedOperators: Set<ArithmeticOperator> {
            let symbols = Set(operators.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            return Set(ArithmeticOperator.allCases.filter { symbols.contains($0.symbol) })
        }

        /// The validated generator options.
        /// - Throws: ``ProblemSourceError/noKnownOperators(_:)`` when ``operators`` names none of
        ///   `+ - × ÷`; ``ProblemSourceError/generator(_:)`` when digits or operations are out of range.
        public func options() throws(ProblemSourceError) -> ArithmeticOptions {
            let chosen = parsedOperators
            guard !chosen.isEmpty else { throw .noKnownOperators(operators) }
            do {
                return try ArithmeticOptions(digits: digits, operations: operations, operators: chosen)
            } catch let error as GeneratorError {
                throw .generator(error)
            } catch {
                throw .generator(.invalidOptions("\(error)"))
            }
        }
    }

    /// Where the problems come from.
    public let origin: Origin
    /// The most problems to use (at least 1), or `nil` for all: a dataset stops reading there, a
    /// generator's problems are cut to it.
    public let limit: Int?

    /// Creates a source.
    public init(origin: Origin, limit: Int? = nil) {
        self.origin = origin
        self.limit = limit
    }

    /// The JSONL dataset at `path`, at most `limit` problems.
    public static func dataset(_ path: String, limit: Int? = nil) -> ProblemSource {
        ProblemSource(origin: .dataset(path: path), limit: limit)
    }

    /// Generated problems, at most `limit` of them.
    public static func generated(_ generation: Generation, limit: Int? = nil) -> ProblemSource {
        ProblemSource(origin: .generated(generation), limit: limit)
    }

    /// The problems, in file or generation order.
    ///
    /// Generated arithmetic problems with an ``ArithmeticShape`` come from ``ArithmeticGenerator``;
    /// all others from ``ProblemGenerator`` at the requested difficulty and templates.
    /// - Throws: ``ProblemSourceError``: a dataset that cannot be read, generator values out of
    ///   range (templates the family does not have included), operators naming none of `+ - × ÷`,
    ///   or a limit below 1.
    public func problems() throws(ProblemSourceError) -> [EvalProblem] {
        if let limit, limit < 1 { throw .invalidLimit(limit) }
        switch origin {
        case let .dataset(path):
            do {
                return try DatasetLoader.load(path: path, limit: limit)
            } catch let error as DatasetError {
                throw .dataset(error)
            } catch {
                throw .dataset(.unreadable(path: path, reason: "\(error)"))
            }
        case let .generated(generation):
            let problems = try Self.generate(generation)
            return limit.map { Array(problems.prefix($0)) } ?? problems
        }
    }

    private static func generate(_ generation: Generation) throws(ProblemSourceError) -> [EvalProblem] {
        let seed = generation.seed, count = generation.count
        guard generation.family.templateSelections.contains(generation.templates) else {
            throw .generator(.templatesDoNotApply(family: generation.family, templates: generation.templates))
        }
        let options = try generation.appliedShape?.options()
        do {
            if let options { return try ArithmeticGenerator(seed: seed).generate(count: count, options: options) }
            return try ProblemGenerator(family: generation.family, seed: seed)
                .generate(count: count, difficulty: generation.difficulty, templates: generation.templates)
        } catch let error as GeneratorError {
            throw .generator(error)
        } catch {
            throw .generator(.invalidOptions("\(error)"))
        }
    }

    /// The source for a person and for the run's identity (``EvalRunInfo/dataset``): the path
    /// (with `" (first N)"` under a limit), or `generated <family> count=N seed=S` followed by the
    /// difficulty, the templates (when not all: `templates=held-out`) and the arithmetic shape when given. Runs are stored under
    /// this text, so it must not change: an old run resumes only when it matches, and a run on one template split is never
    /// resumed or compared as another.
    public var description: String {
        switch origin {
        case let .dataset(path):
            return path + (limit.map { " (first \($0))" } ?? "")
        case let .generated(generation):
            var text = "generated \(generation.family.rawValue) count=\(limit.map { min($0, generation.count) } ?? generation.count)"
                + " seed=\(generation.seed)"
            if let difficulty = generation.difficulty { text += " difficulty=\(difficulty)" }
            if generation.templates != .all { text += " templates=\(generation.templates.rawValue)" }
            if let shape = generation.appliedShape {
                text += " digits=\(shape.digits) operations=\(shape.operations) operators=\(shape.operators)"
            }
            return text
        }
    }
}
