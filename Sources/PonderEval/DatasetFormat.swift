/// The record shapes ``DatasetLoader`` understands, detected from each record's fields.
///
/// | Format | Fields | Expected answer |
/// |---|---|---|
/// | ``gsm8k`` | `question`, `answer` ending `#### 72` (or a bare number) | the number after `####`, commas removed |
/// | ``math`` | `problem`, and `solution` and/or `answer` | `answer`, else the last `\boxed{…}` of `solution` |
/// | ``multipleChoice`` | `question`, `choices`, `answer` (or `answerKey`) | the letter; an index 0 → `A` |
/// | ``humanEval`` | `task_id`, `prompt`, `entry_point`, `test` | none: graded by running `test` |
///
/// Detection looks at field names only, in the order HumanEval, multiple choice, MATH, GSM8K, so a
/// record with `question`, `choices` and `answer` is multiple choice, not GSM8K. Each record is
/// detected on its own: one file may mix formats.
public enum DatasetFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// Grade-school math word problems (GSM8K): `{"question", "answer": "… #### 72"}`.
    case gsm8k
    /// Competition math (MATH, MATH-500): `{"problem", "solution"}` with the answer in `\boxed{}`.
    case math
    /// Multiple choice (GPQA, ARC, MMLU-like): `{"question", "choices": [...], "answer": "B"}`.
    case multipleChoice = "multiple-choice"
    /// Program synthesis (HumanEval): `{"task_id", "prompt", "entry_point", "test"}`.
    case humanEval = "humaneval"

    /// The name used in messages (`"GSM8K"`, `"MATH"`, `"multiple-choice"`, `"HumanEval"`).
    public var displayName: String {
        switch self {
        case .gsm8k: return "GSM8K"
        case .math: return "MATH"
        case .multipleChoice: return "multiple-choice"
        case .humanEval: return "HumanEval"
        }
    }

    /// The format a record with these field names has, or `nil` when it matches none.
    ///
    /// ```swift
    /// DatasetFormat(detectingFrom: ["question", "answer"])              // .gsm8k
    /// DatasetFormat(detectingFrom: ["question", "choices", "answer"])   // .multipleChoice
    /// DatasetFormat(detectingFrom: ["text"])                            // nil
    /// ```
    public init?(detectingFrom keys: some Collection<String>) {
        let keys = Set(keys)
        if keys.contains("task_id"), keys.contains("prompt") {
            self = .humanEval
        } else if keys.contains("question"), keys.contains("choices") {
            self = .multipleChoice
        } else if keys.contains("problem"), keys.contains("solution") || keys.contains("answer") {
            self = .math
        } else if keys.contains("question"), keys.contains("answer") {
            self = .gsm8k
        } else {
            return nil
        }
    }

    /// A one-line list of the accepted shapes, for error messages.
    static let summary = "{question, answer \"… #### N\"} (GSM8K), {problem, solution or answer} (MATH), "
        + "{question, choices, answer} (multiple choice) or {task_id, prompt, entry_point, test} (HumanEval)"
}
