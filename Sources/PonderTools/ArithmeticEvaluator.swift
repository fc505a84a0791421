import BigInt

/// An exact, safe evaluator for the arithmetic a model writes: numbers (`1,250`, `2.5`, `$40`),
/// `+ - × * x ÷ /`, parentheses, powers (`^`, `**`), percentages (`15%`, `15% of 80`) and unary
/// minus. Results are exact rationals. Nothing is ever evaluated as code: anything that is not
/// this arithmetic (names, calls, attribute access, other symbols) is refused.
///
/// ```swift
/// try ArithmeticEvaluator.evaluate("23 + 45").description      // "68"
/// try ArithmeticEvaluator.evaluate("15% of 80").description    // "12"
/// try ArithmeticEvaluator.evaluate("7 / 3").description        // "2.333333"
/// ```
public enum ArithmeticEvaluator {
    /// Longest expression accepted, in characters.
    public static let maxLength = 500
    /// Deepest parenthesis nesting accepted.
    public static let maxDepth = 64

    /// The exact value of `expression`.
    public static func evaluate(_ expression: String) throws(CalculatorError) -> Rational {
        try parse(expression).value
    }

    /// Parses and evaluates `expression`; also reports how many operators it used, so a caller can
    /// tell a computation (`23 + 45`) from a bare number (`45`).
    public static func parse(_ expression: String) throws(CalculatorError) -> (value: Rational, operators: Int) {
        guard expression.count <= maxLength else { throw .notArithmetic("longer than \(maxLength) characters") }
        var parser = Parser(tokens: try tokenize(expression))
        let value = try parser.expression(depth: 0)
        guard parser.atEnd else { throw .notArithmetic("unexpected \(parser.currentDescription)") }
        return (value, parser.operators)
    }

    // MARK: Tokens

    enum Token: Equatable {
        case number(Rational)
        case plus, minus, times, divide, power, percent, of, open, close
    }

    static func tokenize(_ text: String) throws(CalculatorError) -> [Token] {
        let chars = Array(text)
        var tokens: [Token] = []
        var i = 0
        func previousAllowsInfix() -> Bool {
            switch tokens.last {
            case .number, .close, .percent: return true
            default: return false
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c.isASCII, c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber) {
                let (value, next) = try number(chars, from: i)
                tokens.append(.number(value))
                i = next
                continue
            }
            switch c {
            case "+": tokens.append(.plus)
            case "-", "−", "–": tokens.append(.minus)
            case "×", "·", "⋅": tokens.append(.times)
            case "*":
                if i + 1 < chars.count, chars[i + 1] == "*" { tokens.append(.power); i += 1 } else { tokens.append(.times) }
            case "/", "÷": tokens.append(.divide)
            case "^": tokens.append(.power)
            case "%": tokens.append(.percent)
            case "(", "[": tokens.append(.open)
            case ")", "]": tokens.append(.close)
            case "$", "€", "£": break   // currency signs carry no arithmetic
            case "x", "X":
                // `3 x 4` is multiplication only between operands; `x` elsewhere is a name.
                let rest = chars[(i + 1)...].drop { $0.isWhitespace }
                guard previousAllowsInfix(), let next = rest.first, next.isNumber || next == "(" else {
                    throw .notArithmetic("names are not arithmetic")
                }
                tokens.append(.times)
            case "o" where i + 1 < chars.count && chars[i + 1] == "f" && tokens.last == .percent:
                guard i + 2 >= chars.count || !chars[i + 2].isLetter else { throw .notArithmetic("names are not arithmetic") }
                tokens.append(.of)
                i += 1
            default:
                if c.isLetter || c == "_" { throw .notArithmetic("names are not arithmetic") }
                throw .notArithmetic("'\(c)' is not an arithmetic symbol")
            }
            i += 1
        }
        return tokens
    }

    /// Reads `12`, `1,250`, `2.5`, `.5` starting at `start`.
    private static func number(_ chars: [Character], from start: Int) throws(CalculatorError) -> (Rational, Int) {
        var digits = ""
        var fraction = ""
        var i = start
        var seenPoint = false
        while i < chars.count {
            let c = chars[i]
            if c.isASCII, c.isNumber {
                if seenPoint { fraction.append(c) } else { digits.append(c) }
            } else if c == ",", !seenPoint, !digits.isEmpty, isThousandsGroup(chars, at: i + 1) {
                // a thousands separator: exactly three digits follow
            } else if c == ".", !seenPoint, i + 1 < chars.count, chars[i + 1].isASCII, chars[i + 1].isNumber {
                seenPoint = true
            } else {
                break
            }
            i += 1
        }
        guard digits.count + fraction.count <= Rational.maxDigits else { throw .tooLarge }
        let whole = BigInt(digits.isEmpty ? "0" : digits) ?? 0
        if fraction.isEmpty { return (Rational(whole), i) }
        let scale = BigInt(10).power(fraction.count)
        let value = try Rational(whole * scale + (BigInt(fraction) ?? 0), scale)
        return (value, i)
    }

    private static func isThousandsGroup(_ chars: [Character], at index: Int) -> Bool {
        guard index + 3 <= chars.count else { return false }
        for k in index..<(index + 3) where !(chars[k].isASCII && chars[k].isNumber) { return false }
        return index + 3 == chars.count || !(chars[index + 3].isASCII && chars[index + 3].isNumber)
    }

    // MARK: Parser (recursive descent; precedence: + - < × ÷ < unary minus < power < percent)

    struct Parser {
        let tokens: [Token]
        var index = 0
        var operators = 0

        init(tokens: [Token]) { self.tokens = tokens }

        var atEnd: Bool { index == tokens.count }
        var currentDescription: String { atEnd ? "end" : "\(tokens[index])" }

        mutating func take(_ token: Token) -> Bool {
            guard index < tokens.count, tokens[index] == token else { return false }
            index += 1
            return true
        }

        mutating func expression(depth: Int) throws(CalculatorError) -> Rational {
            guard depth <= ArithmeticEvaluator.maxDepth else { throw .notArithmetic("nested too deeply") }
            var value = try term(depth: depth)
            while true {
                if take(.plus) { operators += 1; value = try value + term(depth: depth) }
                else if take(.minus) { operators += 1; value = try value - term(depth: depth) }
                else { return value }
            }
        }

        mutating func term(depth: Int) throws(CalculatorError) -> Rational {
            var value = try unary(depth: depth)
            while true {
                if take(.times) || take(.of) { operators += 1; value = try value * unary(depth: depth) }
                else if take(.divide) { operators += 1; value = try value / unary(depth: depth) }
                else { return value }
            }
        }

        mutating func unary(depth: Int) throws(CalculatorError) -> Rational {
            if take(.minus) { return try unary(depth: depth + 1).negated }
            if take(.plus) { return try unary(depth: depth + 1) }
            return try power(depth: depth)
        }

        mutating func power(depth: Int) throws(CalculatorError) -> Rational {
            let base = try percent(depth: depth)
            guard take(.power) else { return base }
            operators += 1
            return try base.power(unary(depth: depth + 1))   // right-associative: 2^3^2 = 2^9
        }

        mutating func percent(depth: Int) throws(CalculatorError) -> Rational {
            var value = try primary(depth: depth)
            while take(.percent) {
                operators += 1
                value = try value / Rational(100)
            }
            return value
        }

        mutating func primary(depth: Int) throws(CalculatorError) -> Rational {
            guard index < tokens.count else { throw .notArithmetic("the expression ends too soon") }
            let token = tokens[index]
            index += 1
            switch token {
            case .number(let value):
                return value
            case .open:
                let value = try expression(depth: depth + 1)
                guard take(.close) else { throw .notArithmetic("a parenthesis is not closed") }
                return value
            default:
                throw .notArithmetic("unexpected \(token)")
            }
        }
    }
}
