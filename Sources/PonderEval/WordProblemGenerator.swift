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
    /// The seed every problem is derived from.
    public let seed: UInt64

    /// The difficulty levels, easiest first.
    public static let levels = 1...4

    /// Creates a generator for `seed`.
    public init(seed: UInt64) {
        self.seed = seed
    }

    /// `count` problems of difficulty `difficulty` (1 to 4); ids are `word-problems-<seed>-<n>`.
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
        let pool = difficulty <= 2 ? WordProblemTemplate.oneStep : WordProblemTemplate.twoStep
        let output = draw.pick(pool).build(&draw)
        return EvalProblem(
            id: "\(ProblemGenerator.Family.wordProblems.rawValue)-\(seed)-\(index + 1)",
            question: output.question, expected: String(output.answer), kind: .number,
            difficulty: difficulty, solution: output.solution.joined(separator: "\n")
        )
    }
}
