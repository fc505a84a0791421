/// The process verifiers `ponder train` ships.
public enum TrainingVerifiers {
    /// Every arithmetic statement checked exactly (PonderTools' exact evaluator); nil until it is wired.
    public static var arithmetic: (any ProcessVerifier)? { nil }
}
