/// The program-synthesis part of a code problem, as HumanEval records give it.
///
/// The model completes ``prompt`` (a function signature and docstring); the completion passes when
/// ``test`` followed by `check(<entryPoint>)` runs without error (HumanEval's harness).
public struct CodeTask: Sendable, Hashable, Codable {
    /// The code the model continues: imports, signature and docstring.
    public var prompt: String
    /// The name of the function under test (`entry_point`).
    public var entryPoint: String
    /// The test code; it defines `check(candidate)`.
    public var test: String
    /// The reference completion (`canonical_solution`), when the record has one.
    public var canonicalSolution: String?

    /// Creates a code task.
    public init(prompt: String, entryPoint: String, test: String, canonicalSolution: String? = nil) {
        self.prompt = prompt
        self.entryPoint = entryPoint
        self.test = test
        self.canonicalSolution = canonicalSolution
    }
}
