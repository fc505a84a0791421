import PonderTools

/// The process verifiers `ponder train` ships.
public enum TrainingVerifiers {
    /// Every arithmetic statement of a chain checked exactly by PonderTools' `ArithmeticEvaluator`.
    public static var arithmetic: (any ProcessVerifier)? {
        ArithmeticProcessVerifier(evaluator: ExactArithmetic())
    }
}

/// PonderTools' exact evaluator behind the claim checker's seam: values compare by their exact
/// rational's text.
public struct ExactArithmetic: ExpressionEvaluating {
    /// Creates the adapter.
    public init() {}

    public func canonicalValue(of expression: String) -> String? {
        // Not user input: text a model wrote that may simply not be arithmetic.
        try? ArithmeticEvaluator.evaluate(expression).description
    }
}
