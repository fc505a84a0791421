import PonderCore

/// Generates arithmetic questions ("What is 23 + 45 × 3?") whose answers are computed, with the
/// usual precedence (`×` and `÷` before `+` and `-`, left to right).
///
/// Reproducible: the same seed and options give the same problems, byte for byte, and problem
/// *i* does not depend on how many are generated. Every division is exact: a divisor is drawn
/// among the divisors of the value before it, or the dividend is built as quotient × divisor
/// (`156 ÷ 12` is 13 × 12 ÷ 12), so a term's first operand may have more digits than the others.
/// With one subtraction the larger operand comes first (no negative answer); longer questions may
/// have negative answers.
///
/// ```swift
/// let options = try ArithmeticOptions(digits: 2, operations: 1, operators: [.add])
/// let problems = try ArithmeticGenerator(seed: 42).generate(count: 3, options: options)
/// problems[0].question   // "What is 57 + 31?" (for example)
/// problems[0].expected   // "88"
/// ```
public struct ArithmeticGenerator: Sendable {
    /// The seed every problem is derived from.
    public let seed: UInt64

    /// Creates a generator for `seed`.
    public init(seed: UInt64) {
        self.seed = seed
    }

    /// `count` problems shaped by `options`; ids are `arithmetic-<seed>-<n>` (n from 1). The
    /// difficulty is the ``ArithmeticOptions/levels`` index (from 1) with the same digits and
    /// operations, or `nil` when none has them.
    public func generate(count: Int, options: ArithmeticOptions) throws -> [EvalProblem] {
        guard count >= 0 else { throw GeneratorError.invalidCount(count) }
        let level = ArithmeticOptions.levels.firstIndex {
            $0.digits == options.digits && $0.operations == options.operations
        }
        return (0..<count).map { problem(index: $0, options: options, difficulty: level.map { $0 + 1 }) }
    }

    /// Problem `index` (from 0) of this seed's stream, shaped by `options`.
    func problem(index: Int, options: ArithmeticOptions, difficulty: Int?) -> EvalProblem {
        var random = SplitMix64(seed: seed, index: index)
        let expression = Self.expression(options: options, random: &random)
        let (answer, steps) = Self.evaluate(expression)
        let text = zip(expression.operands, [nil] + expression.operators.map(Optional.some))
            .map { operand, op in op.map { "\($0.symbol) \(operand)" } ?? String(operand) }
            .joined(separator: " ")
        return EvalProblem(
            id: "\(ProblemGenerator.Family.arithmetic.rawValue)-\(seed)-\(index + 1)",
            question: "What is \(text)?", expected: String(answer), kind: .number,
            difficulty: difficulty, solution: steps.joined(separator: "\n")
        )
    }

    // MARK: Building and evaluating

    /// Operands and the operators between them (`operators.count == operands.count - 1`).
    struct Expression: Sendable, Hashable {
        var operands: [Int]
        var operators: [ArithmeticOperator]
    }

    /// Draws the operators, then the operands left to right, keeping every division exact: right
    /// after a term's first operand the dividend is built as quotient × divisor (`156 ÷ 12`); after
    /// a product the divisor is drawn among the term's value's divisors of the right size
    /// (`14 × 36 ÷ 28`), preferring one that is not already an operand and never the value itself;
    /// when there is none the term's first operand is multiplied by the divisor instead.
    static func expression(options: ArithmeticOptions, random: inout SplitMix64) -> Expression {
        let choices = options.operators.sorted()
        let operators = (0..<options.operations).map { _ in random.pick(choices) }
        var operands = [random.int(in: options.operandRange)]
        var termStart = 0
        var term = operands[0]   // the value of the current term so far
        for (position, op) in operators.enumerated() {
            switch op {
            case .add, .subtract:
                term = random.int(in: options.operandRange)
                termStart = position + 1
                operands.append(term)
            case .multiply:
                let factor = random.int(in: options.operandRange)
                term *= factor
                operands.append(factor)
            case .divide:
                // Dividing the term by itself (giving 1) asks nothing: those divisors are left out.
                let divisors = termStart == position ? [] : options.divisorRange.filter { term % $0 == 0 && $0 != term }
                let fresh = divisors.filter { !operands[termStart...].contains($0) }
                if !divisors.isEmpty {
                    let divisor = random.pick(fresh.isEmpty ? divisors : fresh)
                    term /= divisor
                    operands.append(divisor)
                } else {
                    let divisor = random.int(in: options.divisorRange)
                    operands[termStart] *= divisor   // the term's value is unchanged once divided
                    operands.append(divisor)
                }
            }
        }
        if operators == [.subtract], operands[0] < operands[1] { operands.swapAt(0, 1) }
        return Expression(operands: operands, operators: operators)
    }

    /// The value of `expression` and the worked steps: products and quotients first, left to right,
    /// then sums and differences (`45 × 3 = 135`, then `23 + 135 = 158`).
    static func evaluate(_ expression: Expression) -> (value: Int, steps: [String]) {
        var steps: [String] = []
        // Collapse each multiplicative term into one value.
        var terms = [expression.operands[0]]
        var additive: [ArithmeticOperator] = []
        for (op, operand) in zip(expression.operators, expression.operands.dropFirst()) {
            if op.isMultiplicative {
                let left = terms[terms.count - 1]
                let value = op == .multiply ? left * operand : left / operand
                steps.append("\(left) \(op.symbol) \(operand) = \(value)")
                terms[terms.count - 1] = value
            } else {
                additive.append(op)
                terms.append(operand)
            }
        }
        var total = terms[0]
        for (op, term) in zip(additive, terms.dropFirst()) {
            let value = op == .add ? total + term : total - term
            steps.append("\(total) \(op.symbol) \(term) = \(value)")
            total = value
        }
        return (total, steps)
    }
}
