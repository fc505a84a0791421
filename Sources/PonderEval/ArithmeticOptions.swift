/// What an arithmetic question looks like: how many digits each operand has, how many operations
/// it chains, and which operators it may use. Validated at construction.
///
/// ```swift
/// // Exactly "What is AB + CD?": two 2-digit operands, one addition.
/// let options = try ArithmeticOptions(digits: 2, operations: 1, operators: [.add])
/// let problems = ArithmeticGenerator(seed: 7).generate(count: 10, options: options)
/// ```
public struct ArithmeticOptions: Sendable, Hashable {
    /// The digits of each operand, 1 to 4 (1 digit: 1–9, divisors 2–9; n digits: 10ⁿ⁻¹ to 10ⁿ − 1).
    /// A dividend may be the exception: when no divisor of that size divides the value before it,
    /// it is built as quotient × divisor and so may have more digits.
    public let digits: Int
    /// The number of operators in the question, 1 to 3 (so 2 to 4 operands).
    public let operations: Int
    /// The operators drawn from, uniformly; at least one.
    public let operators: Set<ArithmeticOperator>

    /// The allowed ``digits``.
    public static let digitRange = 1...4
    /// The allowed ``operations``.
    public static let operationRange = 1...3

    /// Creates options; throws ``GeneratorError/invalidOptions(_:)`` when a value is out of range.
    public init(digits: Int, operations: Int, operators: Set<ArithmeticOperator> = Set(ArithmeticOperator.allCases)) throws {
        guard Self.digitRange.contains(digits) else {
            throw GeneratorError.invalidOptions("digits \(digits): expected 1 to 4")
        }
        guard Self.operationRange.contains(operations) else {
            throw GeneratorError.invalidOptions("operations \(operations): expected 1 to 3")
        }
        guard !operators.isEmpty else {
            throw GeneratorError.invalidOptions("no operators: give at least one of + - × ÷")
        }
        self.digits = digits
        self.operations = operations
        self.operators = operators
    }

    private init(validDigits digits: Int, operations: Int) {
        self.digits = digits
        self.operations = operations
        self.operators = Set(ArithmeticOperator.allCases)
    }

    /// The graded levels ``ProblemGenerator`` uses for `arithmetic`, easiest first, all four
    /// operators: 1 digit × 1 operation, 2×1, 2×2, 3×2, 3×3, 4×3.
    public static let levels: [ArithmeticOptions] = [
        .init(validDigits: 1, operations: 1), .init(validDigits: 2, operations: 1),
        .init(validDigits: 2, operations: 2), .init(validDigits: 3, operations: 2),
        .init(validDigits: 3, operations: 3), .init(validDigits: 4, operations: 3),
    ]

    /// The options of difficulty `level` (1 to ``levels``.count).
    public static func level(_ level: Int) throws -> ArithmeticOptions {
        guard levels.indices.contains(level - 1) else {
            throw GeneratorError.invalidDifficulty(family: .arithmetic, value: level, allowed: 1...levels.count)
        }
        return levels[level - 1]
    }

    /// The operands this many digits may take.
    var operandRange: ClosedRange<Int> {
        digits == 1 ? 1...9 : Self.power(10, digits - 1)...(Self.power(10, digits) - 1)
    }

    /// The divisors this many digits may take (never 1: dividing by 1 asks nothing).
    var divisorRange: ClosedRange<Int> {
        digits == 1 ? 2...9 : operandRange
    }

    private static func power(_ base: Int, _ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { result, _ in result * base }
    }
}
