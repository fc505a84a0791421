import PonderCore

/// Generates the story-problem curriculum: one- to three-step problems from over 60 templates
/// (money with cents, how many more or fewer, times as many, rates and unit prices, shares and
/// parts of a whole, lengths and areas, durations, ages, averages, percentages, some with a number
/// the answer does not need), each asked in several phrasings, with varied names and objects.
/// Answers are computed from the numbers drawn (money in whole cents, so `"12.75"` is exact), every
/// one is positive, divisions are built from their quotient, and each problem carries its worked
/// solution, one line per step, each with its arithmetic claim (`4 × 6 = 24`) for the process check.
///
/// Levels: 1 one step, small numbers; 2 one step, larger numbers; 3 two steps, small; 4 two steps,
/// larger; 5 three steps, small; 6 three steps, larger. Reproducible like ``ArithmeticGenerator``.
///
/// Every template belongs to one ``Split``, fixed in the catalog: what is trained on, what settings
/// are chosen on and what is measured never share a template (`--templates training|validation|held-out`).
///
/// ```swift
/// let problems = try StoryProblemGenerator(seed: 1, splits: [.heldOut]).generate(count: 2, difficulty: 5)
/// problems[0].question   // "A pack of 5 pens costs $8. A pack of 7 pens costs $10.50. How much more does one pen cost …?"
/// problems[0].solution   // "In the small pack one costs 8 ÷ 5 = 1.60 dollars.\n…\nThe difference is 1.60 - 1.50 = 0.10 dollars."
/// problems[0].expected   // "0.1"
/// problems[0].template   // "unit-price-compare"
/// ```
public struct StoryProblemGenerator: Sendable {
    /// The three disjoint sets of templates (about 60%, 20% and 20% of them), each with one-, two-
    /// and three-step templates of every category.
    public enum Split: String, Sendable, Hashable, Codable, CaseIterable {
        /// For training (STaR rounds, fitting a verifier).
        case training
        /// For choosing settings and stopping early.
        case validation
        /// For measuring: never trained or tuned on.
        case heldOut = "held-out"
    }

    /// The seed every problem is derived from.
    public let seed: UInt64
    /// The splits whose templates problems are drawn from.
    public let splits: Set<Split>

    /// The difficulty levels, easiest first.
    public static let levels = 1...6

    /// Creates a generator for `seed` drawing from the templates of `splits` (all by default).
    public init(seed: UInt64, splits: Set<Split> = Set(Split.allCases)) {
        self.seed = seed
        self.splits = splits
    }

    /// How many templates each split has, by number of steps (`[.training: [1: 12, 2: 12, 3: 12], …]`).
    public static var templateCounts: [Split: [Int: Int]] {
        Dictionary(grouping: StoryProblemTemplate.all, by: \.split).mapValues { templates in
            Dictionary(grouping: templates, by: \.steps).mapValues(\.count)
        }
    }

    /// `count` problems of difficulty `difficulty` (1 to 6); ids are `story-problems-<seed>-<n>`,
    /// and each names its template (``EvalProblem/template``).
    /// - Throws: ``GeneratorError`` for a negative count, a level outside ``levels``, or no splits.
    public func generate(count: Int, difficulty: Int) throws -> [EvalProblem] {
        guard count >= 0 else { throw GeneratorError.invalidCount(count) }
        guard Self.levels.contains(difficulty) else {
            throw GeneratorError.invalidDifficulty(family: .storyProblems, value: difficulty, allowed: Self.levels)
        }
        guard !splits.isEmpty else { throw GeneratorError.noTemplates(family: .storyProblems) }
        return (0..<count).map { problem(index: $0, difficulty: difficulty) }
    }

    /// The templates a problem at `difficulty` is drawn from, in catalog order.
    func pool(difficulty: Int) -> [StoryProblemTemplate] {
        let steps = (difficulty + 1) / 2
        return StoryProblemTemplate.all.filter { $0.steps == steps && splits.contains($0.split) }
    }

    /// Problem `index` (from 0) of this seed's stream at a valid `difficulty`, with at least one split.
    func problem(index: Int, difficulty: Int) -> EvalProblem {
        let (template, story, phrasing) = draft(index: index, difficulty: difficulty)
        return EvalProblem(
            id: "\(ProblemGenerator.Family.storyProblems.rawValue)-\(seed)-\(index + 1)",
            question: story.setup + " " + story.questions[phrasing], expected: story.answer.expected, kind: .number,
            difficulty: difficulty, solution: story.solution.joined(separator: "\n"), template: template.name
        )
    }

    /// What problem `index` is made of: its template, the drawn story and the phrasing chosen
    /// (an index into ``StoryProblemTemplate/Story/questions``), drawn in that order.
    func draft(index: Int, difficulty: Int) -> (template: StoryProblemTemplate, story: StoryProblemTemplate.Story, phrasing: Int) {
        var draw = StoryProblemTemplate.Draw(random: SplitMix64(seed: seed, index: index), large: difficulty % 2 == 0)
        let template = draw.pick(pool(difficulty: difficulty))
        let story = template.build(&draw)
        return (template, story, draw.int(in: 0...(story.questions.count - 1)))
    }
}
