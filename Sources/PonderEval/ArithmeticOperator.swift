/// An operator in a generated arithmetic question.
public enum ArithmeticOperator: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Addition, written `+`.
    case add = "+"
    /// Subtraction, written `-` (ASCII hyphen-minus).
    case subtract = "-"
    /// Multiplication, written `×`.
    case multiply = "×"
    /// Exact division, written `÷`: the generator only asks for divisions that leave no remainder.
    case divide = "÷"

    /// The symbol written in the question.
    public var symbol: String { rawValue }

    /// Whether it binds tighter than `+` and `-` (`×` and `÷`).
    public var isMultiplicative: Bool { self == .multiply || self == .divide }

    /// Orders operators `+`, `-`, `×`, `÷`, so sets of operators print and draw in a stable order.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .add: return 0
        case .subtract: return 1
        case .multiply: return 2
        case .divide: return 3
        }
    }
}
