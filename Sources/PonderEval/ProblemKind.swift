import PonderReasoning

/// What an ``EvalProblem`` asks for, and so how its answer is graded.
public enum ProblemKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A number; ``EvalProblem/expected`` is its canonical text (`"68"`, `"0.5"`, `"1/3"`, `"50%"`).
    case number
    /// A lettered choice; ``EvalProblem/expected`` is the uppercase letter (`"B"`).
    case multipleChoice
    /// A free-form answer such as a MATH expression (`\frac{\sqrt{3}}{2}`, `(1, 2)`); compared as
    /// normalised text.
    case text
    /// A program; graded by running ``CodeTask/test``, so ``EvalProblem/expected`` is empty.
    case code

    /// The ``AnswerKind`` used to extract and compare a model's answer, or `nil` for code, which is
    /// graded by running tests rather than by reading an answer.
    public var answerKind: AnswerKind? {
        switch self {
        case .number: return .number
        case .multipleChoice: return .multipleChoice
        case .text: return .text
        case .code: return nil
        }
    }
}
