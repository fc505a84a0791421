import PonderCore

/// Generates one- and two-step word problems from templates (buying, sharing, ages, distances,
/// comparing, rows, change, saving…) with varied names and objects; answers are positive
/// integers computed from the numbers drawn, and each problem carries its worked solution.
///
/// Levels: 1 one step, small numbers; 2 one step, larger numbers; 3 two steps, small numbers;
/// 4 two steps, larger numbers. Reproducible like ``ArithmeticGenerator``.
///
/// ```swift
/// let problems = try WordProblemGenerator(seed: 1).generate(count: 2, difficulty: 3)
/// problems[0].question   // "Maya has $50 and buys 4 pens at $6 each. How many dollars does she have left?"
/// problems[0].expected   // "26"
/// ```
public struct WordProblemGenerator: Sendable {
    /// Which templates problems are drawn from: all of them, or one of two disjoint halves (half
    /// of the one-step and half of the two-step templates each), so that what a verifier or a
    /// threshold is fitted on and what it is measured on never share a template.
    public enum Templates: String, Sendable, Hashable, CaseIterable {
        /// Every template (the default).
        case all
        /// The templates at even positions of each catalog: for fitting.
        case fitting = "fit"
        /// The templates at odd positions: for measuring what was fitted.
        case heldOut = "held-out"

        func filter(_ pool: [WordProblemTemplate]) -> [WordProblemTemplate] {
            switch self {
            case .all: return pool
            case .fitting: return pool.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            case .heldOut: return pool.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            }
        }
    }

    /// The seed every problem is derived from.
    public let seed: UInt64
    /// The templates drawn from.
    public let templates: Templates

    /// The difficulty levels, easiest first.
    public static let levels = 1...4

    /// Creates a generator for `seed`.
    public init(seed: UInt64, templates: Templates = .all) {
        self.seed = seed
        self.templates = templates
    }

    /// `count` problems of difficulty `difficulty` (1 to 4); ids are `word-problems-<seed>-<n>`,
    /// and each names its template (``EvalProblem/template``).
    public func generate(count: Int, difficulty: Int) throws -> [EvalProblem] {
        guard count >= 0 else { throw GeneratorError.invalidCount(count) }
        guard Self.levels.contains(difficulty) else {
            throw GeneratorError.invalidDifficulty(family: .wordProblems, value: difficulty, allowed: Self.levels)
        }
        return (0..<count).map { problem(index: $0, difficulty: difficulty) }
    }

    /// Problem `index` (from 0) of this seed's stream at a valid `difficulty`.
    func problem(index: Int, difficulty: Int) -> EvalProblem {
        var draw = WordProblemTemplate.Draw(random: SplitMix64(seed: seed, index: index), large: difficulty % 2 == 0)
        let pool = templates.filter(difficulty <= 2 ? WordProblemTemplate.oneStep : WordProblemTemplate.twoStep)
        let template = draw.pick(pool)
        let output = template.build(&draw)
        return EvalProblem(
            id: "\(ProblemGenerator.Family.wordProblems.rawValue)-\(seed)-\(index + 1)",
            question: output.question, expected: String(output.answer), kind: .number,
            difficulty: difficulty, solution: output.solution.joined(separator: "\n"), template: template.name
        )
    }
}
