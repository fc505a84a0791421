/// Why the calculator did not give a number. Its description is the one-line text injected into
/// a chain in place of a result.
public enum CalculatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not arithmetic (names, calls, attribute access, stray symbols...).
    case notArithmetic(String)
    /// Division (or a negative power) of zero.
    case divisionByZero
    /// A number or result beyond the calculator's size bound (``Rational/maxDigits`` digits).
    case tooLarge
    /// Arithmetic the calculator deliberately does not do exactly.
    case unsupported(String)

    public var description: String {
        switch self {
        case .notArithmetic(let reason): return "not arithmetic: \(reason)"
        case .divisionByZero: return "division by zero"
        case .tooLarge: return "number too large (over \(Rational.maxDigits) digits)"
        case .unsupported(let what): return "\(what) are not supported"
        }
    }
}
