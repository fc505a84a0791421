/// One evaluation problem: what the model is asked, and the reference it is graded against.
///
/// Problems come from a dataset file (``DatasetLoader``) or from a seeded generator
/// (``ProblemGenerator``); either way the grader needs only this value.
///
/// ```swift
/// let problems = try DatasetLoader.load(path: "gsm8k_test.jsonl", limit: 50)
/// problems[0].question   // "Janet’s ducks lay 16 eggs per day. …"
/// problems[0].expected   // "18"
/// problems[0].kind       // .number
/// ```
public struct EvalProblem: Sendable, Hashable, Codable {
    /// A stable identifier: the record's own `id`, `task_id` or `unique_id` when it has one,
    /// otherwise `<file name>-<line>` (for example `gsm8k_test-12`).
    public var id: String
    /// The text shown to the model. For multiple choice it already lists the lettered choices,
    /// one per line (`A) …`).
    public var question: String
    /// The reference answer in canonical form: a number's canonical text (`"68"`, `"0.5"`), a choice
    /// letter (`"B"`), the trimmed expression for ``ProblemKind/text``, or `""` for code.
    public var expected: String
    /// What kind of answer the problem asks for; it decides how the answer is graded.
    public var kind: ProblemKind
    /// A graded difficulty when known: the generator's level, a record's `difficulty`, or MATH's
    /// `"Level 3"` as 3. Higher is harder; `nil` when the source says nothing.
    public var difficulty: Int?
    /// A worked solution when the source has one (GSM8K's reasoning before `####`, MATH's
    /// `solution`, a generator's steps), without the final `#### answer` line.
    public var solution: String?
    /// The choices of a multiple-choice problem, in letter order (`A` first); `nil` otherwise.
    public var choices: [String]?
    /// The program-synthesis fields of a ``ProblemKind/code`` problem; `nil` otherwise.
    public var code: CodeTask?
    /// The name of the template a generated word or story problem was drawn from (`"unit-cost"`),
    /// or a record's `template` field; `nil` otherwise (and then left out of JSON, so files and
    /// outputs of other problems are unchanged).
    public var template: String?

    /// Creates a problem. No validation: the loader and generators build consistent values.
    public init(
        id: String,
        question: String,
        expected: String,
        kind: ProblemKind,
        difficulty: Int? = nil,
        solution: String? = nil,
        choices: [String]? = nil,
        code: CodeTask? = nil,
        template: String? = nil
    ) {
        self.id = id
        self.question = question
        self.expected = expected
        self.kind = kind
        self.difficulty = difficulty
        self.solution = solution
        self.choices = choices
        self.code = code
        self.template = template
    }
}
