/// Checks the steps of a reasoning chain, not only its outcome (a small model often reaches the right
/// number through wrong steps, and training on such chains teaches the wrong steps). Task families
/// bring their own; `ArithmeticProcessVerifier` checks every arithmetic statement exactly.
public protocol ProcessVerifier: Sendable {
    /// The verdict on one chain's reasoning.
    func verify(reasoning: String) -> ProcessVerdict
}

/// What a process verifier found in one chain.
public struct ProcessVerdict: Sendable, Hashable, Codable {
    /// Statements that could be checked.
    public var checkedSteps: Int
    /// The first statement found false, if any.
    public var falseStep: String?
    /// The values the true statements arrived at, in order (canonical text, e.g. `"68"`).
    public var results: [String]

    /// Creates a verdict.
    public init(checkedSteps: Int = 0, falseStep: String? = nil, results: [String] = []) {
        self.checkedSteps = checkedSteps
        self.falseStep = falseStep
        self.results = results
    }

    /// Whether no checked step was false.
    public var isSound: Bool { falseStep == nil }
}

/// The exact value of an arithmetic expression, the seam to an exact evaluator (PonderTools'
/// `ArithmeticEvaluator`).
public protocol ExpressionEvaluating: Sendable {
    /// The canonical text of the exact value of `expression` (`"23 + 45"` → `"68"`; equal values
    /// give equal text), or nil when it is not an arithmetic expression the evaluator can compute.
    func canonicalValue(of expression: String) -> String?
}

/// Checks every arithmetic statement a chain makes (`a + b = c`, `a × b = c`, chains of `=`) with an
/// exact evaluator; a chain with one false statement is unsound.
///
/// ```swift
/// let verifier = ArithmeticProcessVerifier(evaluator: evaluator)
/// verifier.verify(reasoning: "34 - 32 = 12").isSound   // false
/// ```
public struct ArithmeticProcessVerifier: ProcessVerifier {
    /// The exact evaluator.
    public let evaluator: any ExpressionEvaluating

    /// Creates a verifier over `evaluator`.
    public init(evaluator: any ExpressionEvaluating) {
        self.evaluator = evaluator
    }

    public func verify(reasoning: String) -> ProcessVerdict {
        var verdict = ProcessVerdict()
        for claim in ArithmeticClaimFinder.claims(in: reasoning) {
            guard let left = evaluator.canonicalValue(of: claim.left), let right = evaluator.canonicalValue(of: claim.right) else { continue }
            verdict.checkedSteps += 1
            if left == right {
                verdict.results.append(right)
            } else if verdict.falseStep == nil {
                verdict.falseStep = claim.statement
            }
        }
        return verdict
    }
}
