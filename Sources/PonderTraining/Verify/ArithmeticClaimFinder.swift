import Foundation

/// Finds the arithmetic statements in free text: every `=` with a well-formed expression on each
/// side, at least one of them with an operator (`23 + 45 = 68`, `68 = 60 + 8`, and both links of
/// `2 × 3 = 6 + 1 = 7`). It only finds and normalises statements; an evaluator decides them.
///
/// Normalisation: `$` signs and thousands separators are dropped, `x`/`*`/`·` between numbers mean
/// `×`, `/` means `÷`, `−` means `-`. A step number such as `1.` before a statement is not part of it.
public enum ArithmeticClaimFinder {
    /// One statement `left = right`.
    public struct Claim: Sendable, Hashable {
        /// The left expression, normalised (`"23 + 45"`).
        public var left: String
        /// The right expression, normalised (`"68"`).
        public var right: String
        /// The statement as `left = right`.
        public var statement: String { "\(left) = \(right)" }
    }

    enum Token: Hashable {
        case number(String)
        case op(Character)
        case open
        case close

        var text: String {
            switch self {
            case .number(let digits): return digits
            case .op(let symbol): return String(symbol)
            case .open: return "("
            case .close: return ")"
            }
        }
    }

    /// The statements in `text`, in order.
    public static func claims(in text: String) -> [Claim] {
        let normalized = normalize(text)
        let characters = Array(normalized)
        var claims: [Claim] = []
        for (index, character) in characters.enumerated() where character == "=" {
            // Skip ==, <=, >=, != and =>.
            if index > 0, "=<>!".contains(characters[index - 1]) { continue }
            if index + 1 < characters.count, "=>".contains(characters[index + 1]) { continue }
            var start = index
            while start > 0, isExpressionCharacter(characters[start - 1]) { start -= 1 }
            var end = index + 1
            while end < characters.count, isExpressionCharacter(characters[end]) { end += 1 }
            guard let leftTokens = tokens(in: characters[start..<index]).map(longestValidSuffix),
                  let rightTokens = tokens(in: characters[(index + 1)..<end]).map(longestValidPrefix),
                  !leftTokens.isEmpty, !rightTokens.isEmpty else { continue }
            let hasOperator = (leftTokens + rightTokens).contains { if case .op = $0 { return true } else { return false } }
            guard hasOperator else { continue }
            claims.append(Claim(left: render(leftTokens), right: render(rightTokens)))
        }
        return claims
    }

    // MARK: Scanning

    static func normalize(_ text: String) -> String {
        var result = text.replacingOccurrences(of: "$", with: "")
            .replacingOccurrences(of: "−", with: "-")
            .replacingOccurrences(of: "·", with: "×")
            .replacingOccurrences(of: "*", with: "×")
            .replacingOccurrences(of: "/", with: "÷")
        result = result.replacingOccurrences(of: #"(\d),(\d{3})\b"#, with: "$1$2", options: .regularExpression)
        result = result.replacingOccurrences(of: #"(\d)\s*[xX]\s*(?=\d)"#, with: "$1 × ", options: .regularExpression)
        return result
    }

    static func isExpressionCharacter(_ character: Character) -> Bool {
        character.isASCII && character.isNumber || " \t+-×÷().".contains(character)
    }

    /// Tokens of a run; characters that cannot belong (a dot that is not a decimal point) cut it, and
    /// only what follows the last cut is kept for a left side, what precedes the first for a right
    /// side — the caller's suffix/prefix search then finds the statement.
    static func tokens(in run: ArraySlice<Character>) -> [Token]? {
        var tokens: [Token] = []
        let characters = Array(run)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isASCII, character.isNumber {
                var digits = String(character)
                index += 1
                while index < characters.count, characters[index].isASCII, characters[index].isNumber {
                    digits.append(characters[index]); index += 1
                }
                if index + 1 < characters.count, characters[index] == ".", characters[index + 1].isASCII, characters[index + 1].isNumber {
                    digits.append("."); index += 1
                    while index < characters.count, characters[index].isASCII, characters[index].isNumber {
                        digits.append(characters[index]); index += 1
                    }
                }
                tokens.append(.number(digits))
                continue
            }
            switch character {
            case "+", "-", "×", "÷": tokens.append(.op(character))
            case "(": tokens.append(.open)
            case ")": tokens.append(.close)
            case ".": tokens.append(.op("."))   // a cut: never valid inside an expression
            default: break   // spaces
            }
            index += 1
        }
        return tokens
    }

    static func longestValidSuffix(_ tokens: [Token]) -> [Token] {
        for start in tokens.indices where isValid(tokens[start...]) { return Array(tokens[start...]) }
        return []
    }

    static func longestValidPrefix(_ tokens: [Token]) -> [Token] {
        for end in stride(from: tokens.count, to: 0, by: -1) where isValid(tokens[..<end]) { return Array(tokens[..<end]) }
        return []
    }

    /// Whether tokens form `term (op term)*` with `term = number | -term | (expression)`.
    static func isValid(_ tokens: ArraySlice<Token>) -> Bool {
        var position = tokens.startIndex
        func term() -> Bool {
            guard position < tokens.endIndex else { return false }
            switch tokens[position] {
            case .number:
                position += 1
                return true
            case .op("-"):
                position += 1
                return term()
            case .open:
                position += 1
                guard expression(), position < tokens.endIndex, tokens[position] == .close else { return false }
                position += 1
                return true
            default:
                return false
            }
        }
        func expression() -> Bool {
            guard term() else { return false }
            while position < tokens.endIndex, case .op(let symbol) = tokens[position], symbol != "." {
                position += 1
                guard term() else { return false }
            }
            return true
        }
        return expression() && position == tokens.endIndex
    }

    static func render(_ tokens: [Token]) -> String {
        var text = ""
        for (index, token) in tokens.enumerated() {
            switch token {
            case .op(let symbol):
                // A unary minus (at the start, after an operator or an opening parenthesis) stays attached.
                let unary = symbol == "-" && (index == 0 || { if case .number = tokens[index - 1] { return false }
                                                            return tokens[index - 1] != .close }())
                text += unary ? "-" : " \(symbol) "
            default:
                text += token.text
            }
        }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
