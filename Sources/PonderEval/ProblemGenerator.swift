import Foundation

/// Built-in, seeded problem sets with graded difficulty, so a model can be evaluated without a
/// dataset file. Answers are computed, never guessed.
///
/// The same family, seed, count and difficulty always give byte-identical problems (and files,
/// through ``Swift/Collection/write(to:)``); problem *i* is the same whatever the count.
///
/// ```swift
/// let generator = ProblemGenerator(family: .arithmetic, seed: 42)
/// let problems = try generator.generate(count: 100, difficulty: 2)   // "What is 23 + 45?"…
/// try problems.write(to: URL(fileURLWithPath: "arithmetic.jsonl"))    // GSM8K-style JSONL
/// ```
public struct ProblemGenerator: Sendable {
    /// A family of generated problems; the raw value is its name on the command line.
    public enum Family: String, Sendable, Hashable, Codable, CaseIterable {
        /// Arithmetic questions, levels 1–6 (see ``ArithmeticOptions/levels``).
        case arithmetic
        /// One- and two-step word problems, levels 1–4 (see ``WordProblemGenerator``).
        case wordProblems = "word-problems"
        /// The curriculum: one- to three-step story problems from over 60 templates split into
        /// training, validation and held-out templates, levels 1–6 (see ``StoryProblemGenerator``).
        case storyProblems = "story-problems"

        /// The difficulty levels of this family, easiest first.
        public var difficulties: ClosedRange<Int> {
            switch self {
            case .arithmetic: return 1...ArithmeticOptions.levels.count
            case .wordProblems: return WordProblemGenerator.levels
            case .storyProblems: return StoryProblemGenerator.levels
            }
        }
    }

    /// The family generated.
    public let family: Family
    /// The seed every problem is derived from.
    public let seed: UInt64

    /// Creates a generator of `family` problems from `seed`.
    public init(family: Family, seed: UInt64) {
        self.family = family
        self.seed = seed
    }

    /// `count` problems at `difficulty`, or, when `difficulty` is `nil`, a mix cycling through the
    /// family's levels (problem 1 at level 1, problem 2 at level 2, …).
    ///
    /// Word and story problems come from `templates` (all by default).
    ///
    /// - Throws: ``GeneratorError`` for a negative count, a level outside ``Family/difficulties``,
    ///   or templates outside ``Family/templateSelections``.
    public func generate(count: Int, difficulty: Int? = nil, templates: TemplateSelection = .all) throws -> [EvalProblem] {
        guard count >= 0 else { throw GeneratorError.invalidCount(count) }
        let levels = family.difficulties
        if let difficulty, !levels.contains(difficulty) {
            throw GeneratorError.invalidDifficulty(family: family, value: difficulty, allowed: levels)
        }
        guard family.templateSelections.contains(templates) else {
            throw GeneratorError.templatesDoNotApply(family: family, templates: templates)
        }
        return (0..<count).map { index in
            let level = difficulty ?? levels.lowerBound + index % levels.count
            switch family {
            case .arithmetic:
                return ArithmeticGenerator(seed: seed)
                    .problem(index: index, options: ArithmeticOptions.levels[level - 1], difficulty: level)
            case .wordProblems:
                return WordProblemGenerator(seed: seed, templates: templates.wordProblemTemplates ?? .all)
                    .problem(index: index, difficulty: level)
            case .storyProblems:
                return StoryProblemGenerator(seed: seed, splits: templates.storySplits ?? Set(StoryProblemGenerator.Split.allCases))
                    .problem(index: index, difficulty: level)
            }
        }
    }
}
