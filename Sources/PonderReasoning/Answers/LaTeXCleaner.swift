/// Rewrites LaTeX and typographic variants as plain text that ``NumberScanner`` and the answer
/// readers understand, in one pass with braces matched up front (linear time on any input).
///
/// - `\frac{a}{b}`, `\dfrac`, `\tfrac`, `\cfrac`, `\frac12`: `a/b`, computed when both parts are
///   numbers (`\frac{\frac{1}{2}}{3}` → `1/6`); a space is put before it after a digit, so
///   `2\frac{1}{2}` reads as the mixed number `2 1/2`. Other parts give `(a)/(b)`.
/// - `\text{…}`, `\mathrm{…}`, `\boxed{…}` and similar: their content. Bare braces are dropped.
/// - `\$` `\%` `\{` `\}`: the character. `1{,}000` and `1\,000`: `1,000`. Thin and no-break spaces
///   between digits: a thousands comma. `−` (U+2212): `-`.
/// - `\sqrt{x}` → `√(x)`, `\pi` → `π`, `\infty` → `∞`, `\times`/`\cdot` → `×`, `^\circ` → `°`,
///   `x^{10}` → `x^(10)`; `\left`, `\right` and spacing commands vanish; unknown commands stay.
struct LaTeXCleaner {
    /// Deeper nesting than this is copied as it is rather than interpreted.
    static let maxDepth = 12

    private let scalars: [Unicode.Scalar]
    /// For each `{`, the index of its matching `}`, or -1.
    private let closing: [Int]

    /// The plain-text form of `text`.
    static func clean(_ text: some StringProtocol) -> String {
        let cleaner = LaTeXCleaner(String(text))
        var out = String.UnicodeScalarView()
        cleaner.render(0..<cleaner.scalars.count, depth: 0, into: &out)
        return String(out)
    }

    private init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        var closing = [Int](repeating: -1, count: scalars.count)
        var open: [Int] = []
        var index = 0
        while index < scalars.count {
            switch scalars[index] {
            case "\\": index += 1   // an escaped brace does not count
            case "{": open.append(index)
            case "}": if let start = open.popLast() { closing[start] = index }
            default: break
            }
            index += 1
        }
        self.closing = closing
    }

    private func render(_ range: Range<Int>, depth: Int, into out: inout String.UnicodeScalarView) {
        var index = range.lowerBound
        while index < range.upperBound {
            let scalar = scalars[index]
            switch scalar {
            case "\\":
                index = renderCommand(at: index, end: range.upperBound, depth: depth, into: &out)
            case "{", "}":
                index += 1
            case "^":
                let (exponent, next) = argument(at: index + 1, end: range.upperBound, depth: depth)
                if exponent == "°" {
                    out.append("°")
                } else {
                    out.append("^")
                    out.append(contentsOf: (exponent.unicodeScalars.count > 1 ? "(\(exponent))" : exponent).unicodeScalars)
                }
                index = next
            case "\u{2212}":
                out.append("-")
                index += 1
            case "\u{2009}", "\u{202F}", "\u{00A0}":
                out.append(isDigit(at: index - 1) && isDigit(at: index + 1) ? "," : " ")
                index += 1
            default:
                out.append(scalar)
                index += 1
            }
        }
    }

    /// Renders the command whose backslash is at `start`; returns the index after it.
    private func renderCommand(at start: Int, end: Int, depth: Int, into out: inout String.UnicodeScalarView) -> Int {
        let nameStart = start + 1
        guard nameStart < end else { return end }
        var nameEnd = nameStart
        while nameEnd < end, scalars[nameEnd].isASCII, scalars[nameEnd].properties.isAlphabetic { nameEnd += 1 }
        if nameEnd == nameStart {
            let symbol = scalars[nameStart]
            switch symbol {
            case ",": out.append(isDigit(at: start - 1) && isDigit(at: nameStart + 1) ? "," : " ")
            case "!": break
            case ";", ":", " ", "\\": out.append(" ")
            default: out.append(symbol)
            }
            return nameStart + 1
        }
        let name = String(String.UnicodeScalarView(scalars[nameStart..<nameEnd]))
        var next = nameEnd
        switch Self.commands[name] {
        case .fraction:
            let (numerator, afterNumerator) = argument(at: next, end: end, depth: depth)
            let (denominator, afterDenominator) = argument(at: afterNumerator, end: end, depth: depth)
            if let last = out.last, last.properties.numericType != nil { out.append(" ") }
            out.append(contentsOf: Self.fraction(numerator, denominator).unicodeScalars)
            return afterDenominator
        case .root:
            if next < end, scalars[next] == "[" {
                while next < end, scalars[next] != "]" { next += 1 }
                next = min(next + 1, end)
            }
            let (radicand, after) = argument(at: next, end: end, depth: depth)
            out.append(contentsOf: "√(\(radicand))".unicodeScalars)
            return after
        case .content:
            let (content, after) = argument(at: next, end: end, depth: depth)
            out.append(contentsOf: content.unicodeScalars)
            return after
        case .invisible:
            if next < end, scalars[next] == "." { next += 1 }   // \left. and \right. draw nothing
            return next
        case let .symbol(replacement):
            out.append(contentsOf: replacement.unicodeScalars)
            if next < end, scalars[next] == " " { next += 1 }   // a space after a control word is not text
            return next
        case nil:
            out.append("\\")
            out.append(contentsOf: scalars[nameStart..<nameEnd])
            return next
        }
    }

    /// One argument at `index` (after spaces): a braced group, a command, or a single character.
    private func argument(at index: Int, end: Int, depth: Int) -> (String, Int) {
        var start = index
        while start < end, scalars[start] == " " { start += 1 }
        guard start < end else { return ("", end) }
        var out = String.UnicodeScalarView()
        if scalars[start] == "{", closing[start] > start, closing[start] < end {
            let close = closing[start]
            if depth < Self.maxDepth {
                render((start + 1)..<close, depth: depth + 1, into: &out)
            } else {
                out.append(contentsOf: scalars[(start + 1)..<close])
            }
            let text = String(out)
            let padded = text.first?.isWhitespace == true || text.last?.isWhitespace == true
            return (padded ? AnswerText.trimmed(text) : text, close + 1)
        }
        if scalars[start] == "\\", depth < Self.maxDepth {
            let after = renderCommand(at: start, end: end, depth: depth + 1, into: &out)
            return (String(out), after)
        }
        return (String(scalars[start]), start + 1)
    }

    private func isDigit(at index: Int) -> Bool {
        index >= 0 && index < scalars.count && scalars[index].isASCII && scalars[index].properties.numericType != nil
    }

    /// `a/b`, computed exactly when both parts are plain numbers.
    private static func fraction(_ numerator: String, _ denominator: String) -> String {
        if let top = plainNumber(numerator), let bottom = plainNumber(denominator), let value = top.dividing(by: bottom) {
            return value.fractionText
        }
        func group(_ part: String) -> String {
            part.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil }
                ? part : "(\(part))"
        }
        return group(numerator) + "/" + group(denominator)
    }

    /// `text` read as one number: digits alone directly, anything else short through the scanner.
    private static func plainNumber(_ text: String) -> ExactNumber? {
        let utf8 = text.utf8
        if utf8.count <= 18, !utf8.isEmpty, utf8.allSatisfy(NumberScanner.isDigit), let value = Int(text) {
            return ExactNumber(value)
        }
        let numeric = utf8.allSatisfy { $0 >= 0x80 || NumberScanner.isDigit($0) || Self.numberBytes.contains($0) }
        return utf8.count <= 64 && numeric ? NumberScanner.single(text) : nil
    }

    private static let numberBytes = Set(" .,/-+eE$".utf8)

    /// What a named command does.
    private enum Command {
        /// `\frac{a}{b}` and its variants.
        case fraction
        /// `\sqrt[n]{x}`.
        case root
        /// `\text{…}` and other wrappers: keep the content.
        case content
        /// Sizing and style commands: drop.
        case invisible
        /// A symbol with a plain-text stand-in.
        case symbol(String)
    }

    private static let commands: [String: Command] = {
        var table: [String: Command] = ["sqrt": .root]
        for name in ["frac", "dfrac", "tfrac", "cfrac"] { table[name] = .fraction }
        for name in ["text", "textbf", "textit", "textrm", "textnormal", "texttt", "textsf", "emph", "mbox",
                     "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "mathbb", "operatorname", "boxed", "fbox"] {
            table[name] = .content
        }
        for name in ["left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
                     "displaystyle", "textstyle", "limits", "nolimits"] {
            table[name] = .invisible
        }
        let symbols = [
            "pi": "π", "infty": "∞", "times": "×", "cdot": "×", "ast": "×", "div": "÷", "circ": "°",
            "degree": "°", "pm": "±", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠",
            "approx": "≈", "quad": " ", "qquad": " ", "dots": "...", "ldots": "...", "cdots": "...",
            "percent": "%", "dollar": "$", "colon": ":",
        ]
        for (name, symbol) in symbols { table[name] = .symbol(symbol) }
        return table
    }()
}
