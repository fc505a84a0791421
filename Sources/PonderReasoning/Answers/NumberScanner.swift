/// One number found in text by ``NumberScanner``.
struct ScannedNumber: Sendable {
    /// The value; a percentage keeps its written value (`50%` is 50 with `isPercent`).
    var value: ExactNumber
    /// Whether `%`, `percent` or `per cent` follows the number.
    var isPercent: Bool
    /// Whether the number follows `^` or `_` (an exponent or an index, not an answer).
    var isSuperscript: Bool
    /// Byte offsets in the scanned UTF-8, sign, currency and percent sign included.
    var range: Range<Int>
}

/// Finds numbers in plain text in one forward pass over its UTF-8 bytes (no regular expressions,
/// so garbage input costs linear time).
///
/// Reads `42`, `-3.5`, `.5`, `1,234,567.89` (commas only in groups of three: `1,2,3` and `1, 2` are
/// lists), `$1,234.50`, `€5`, `1e3`, `3/4`, `-2 1/2` (a whole number, one space, a proper fraction),
/// `50%`, `50 percent`. A `-` is a sign only when no letter, digit or `)` comes right before it,
/// so `3-5` is two numbers. Units after a number (`5 cm`, `12 dollars`) are left alone.
enum NumberScanner {
    /// Every number in `text`, in order.
    static func numbers(in text: some StringProtocol) -> [ScannedNumber] {
        numbers(in: Array(text.utf8))
    }

    /// Every number in `bytes` (UTF-8), in order.
    static func numbers(in bytes: [UInt8]) -> [ScannedNumber] {
        var found: [ScannedNumber] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let startsNumber = isDigit(byte)
                || (byte == .dot && index + 1 < bytes.count && isDigit(bytes[index + 1])
                    && (index == 0 || !isDigit(bytes[index - 1])))
            guard startsNumber else {
                index += 1
                continue
            }
            let (number, end) = readNumber(bytes, at: index)
            if let number { found.append(number) }
            index = max(end, index + 1)
        }
        return found
    }

    /// The value when `text` is exactly one number (no percent sign) and whitespace.
    static func single(_ text: some StringProtocol) -> ExactNumber? {
        let bytes = Array(text.utf8)
        let found = numbers(in: bytes)
        guard found.count == 1, !found[0].isPercent else { return nil }
        let range = found[0].range
        let outside = bytes[..<range.lowerBound] + bytes[range.upperBound...]
        return outside.allSatisfy(isSpace) ? found[0].value : nil
    }

    // MARK: Reading one number

    private static func readNumber(_ b: [UInt8], at start: Int) -> (ScannedNumber?, Int) {
        let n = b.count
        var j = start
        while j < n, isDigit(b[j]) { j += 1 }
        var integerDigits = Array(b[start..<j])
        var grouped = false
        if (1...3).contains(integerDigits.count) {
            while j + 3 < n, b[j] == .comma, isDigit(b[j + 1]), isDigit(b[j + 2]), isDigit(b[j + 3]),
                  j + 4 == n || !isDigit(b[j + 4]) {
                integerDigits += b[(j + 1)...(j + 3)]
                j += 4
                grouped = true
            }
        }
        var fractionDigits: [UInt8] = []
        if j + 1 < n, b[j] == .dot, isDigit(b[j + 1]) {
            j += 1
            while j < n, isDigit(b[j]) { fractionDigits.append(b[j]); j += 1 }
        }
        var exponent = 0
        if j < n, b[j] == UInt8(ascii: "e") || b[j] == UInt8(ascii: "E") {
            var k = j + 1
            let negativeExponent = k < n && b[k] == .minus
            if k < n, b[k] == .minus || b[k] == .plus { k += 1 }
            let digitsStart = k
            while k < n, isDigit(b[k]), k - digitsStart < 6 { k += 1 }
            if k > digitsStart, k == n || !isLetterOrDigit(b[k]) {
                exponent = Int(String(decoding: b[digitsStart..<k], as: UTF8.self)) ?? 0
                exponent = negativeExponent ? -exponent : exponent
                j = k
            }
        }
        let plainInteger = !grouped && fractionDigits.isEmpty && exponent == 0 && j < n
            && integerDigits.count <= 18 && b[start] != .dot
        let tokenEndBeforeFraction = j
        var value: ExactNumber?
        if fractionDigits.isEmpty, exponent == 0, integerDigits.count <= 18 {
            value = ExactNumber(integerDigits.reduce(0) { $0 * 10 + Int($1 - 0x30) })   // the common case, fast
        } else {
            value = ExactNumber.decimal(
                negative: false,
                integerDigits: String(decoding: integerDigits, as: UTF8.self),
                fractionDigits: String(decoding: fractionDigits, as: UTF8.self),
                exponent: exponent
            )
        }
        let afterSlash = start > 0 && b[start - 1] == .slash   // the middle of a date like 3/4/2020
        if plainInteger, !afterSlash, let whole = value {
            if let (fraction, end) = readFraction(b, at: j, numerator: whole) {
                value = fraction
                j = end
            } else if b[j] == .space, j + 1 < n, isDigit(b[j + 1]),
                      let (proper, end) = readProperFraction(b, at: j + 1),
                      let mixed = whole.adding(proper) {
                value = mixed
                j = end
            }
        }
        let (tokenStart, negative) = signAndCurrency(b, before: start)
        var isPercent = false
        if let end = percentEnd(b, at: j) {
            isPercent = true
            j = end
        }
        guard let magnitude = value else { return (nil, max(j, tokenEndBeforeFraction)) }
        let superscript = isSuperscript(b, before: tokenStart)
        let number = ScannedNumber(
            value: negative ? magnitude.negated() : magnitude,
            isPercent: isPercent,
            isSuperscript: superscript,
            range: tokenStart..<j
        )
        return (number, j)
    }

    /// `/q` after a whole number `numerator` (not a date like `3/4/2020`, not `1/2.5`).
    private static func readFraction(_ b: [UInt8], at slash: Int, numerator: ExactNumber) -> (ExactNumber, Int)? {
        guard slash + 1 < b.count, b[slash] == .slash, isDigit(b[slash + 1]) else { return nil }
        var k = slash + 1
        while k < b.count, isDigit(b[k]) { k += 1 }
        if k < b.count, b[k] == .slash || (b[k] == .dot && k + 1 < b.count && isDigit(b[k + 1])) { return nil }
        guard k - slash - 1 <= 18, let denominator = Int(String(decoding: b[(slash + 1)..<k], as: UTF8.self)),
              let value = numerator.dividing(by: ExactNumber(denominator)) else { return nil }
        return (value, k)
    }

    /// `p/q` with `p < q`, the fractional part of a mixed number.
    private static func readProperFraction(_ b: [UInt8], at start: Int) -> (ExactNumber, Int)? {
        var k = start
        while k < b.count, isDigit(b[k]) { k += 1 }
        guard k - start <= 18, let top = Int(String(decoding: b[start..<k], as: UTF8.self)),
              let (value, end) = readFraction(b, at: k, numerator: ExactNumber(top)),
              value.doubleValue < 1 else { return nil }
        return (value, end)
    }

    /// Where the token really starts once a sign and a currency symbol before it are included.
    private static func signAndCurrency(_ b: [UInt8], before start: Int) -> (start: Int, negative: Bool) {
        var tokenStart = start
        var negative = false
        var k = start - 1
        let currency = currencyLength(b, endingAt: k)
        if currency > 0 {
            tokenStart = k - currency + 1
            k -= currency
        }
        if k >= 0, b[k] == .minus || b[k] == .plus, k == 0 || !(isLetterOrDigit(b[k - 1]) || b[k - 1] == .closeParen) {
            negative = b[k] == .minus
            tokenStart = k
            k -= 1
            if currency == 0 {
                let before = currencyLength(b, endingAt: k)   // "$-5"
                if before > 0 { tokenStart = k - before + 1 }
            }
        }
        return (tokenStart, negative)
    }

    /// Whether `^`, `_`, `^(` or `_(` comes right before `start`.
    private static func isSuperscript(_ b: [UInt8], before start: Int) -> Bool {
        var k = start - 1
        if k >= 0, b[k] == UInt8(ascii: "(") { k -= 1 }
        return k >= 0 && (b[k] == .caret || b[k] == .underscore)
    }

    /// Bytes of a currency symbol (`$`, `£`, `¥`, `€`) ending at `k`, or 0.
    private static func currencyLength(_ b: [UInt8], endingAt k: Int) -> Int {
        guard k >= 0 else { return 0 }
        if b[k] == UInt8(ascii: "$") { return 1 }
        if k >= 1, b[k - 1] == 0xC2, b[k] == 0xA3 || b[k] == 0xA5 { return 2 }
        if k >= 2, b[k - 2] == 0xE2, b[k - 1] == 0x82, b[k] == 0xAC { return 3 }
        return 0
    }

    /// The end of `%`, ` %`, ` percent` or ` per cent` at `k`, if one is there.
    private static func percentEnd(_ b: [UInt8], at k: Int) -> Int? {
        var i = k
        if i < b.count, b[i] == .space { i += 1 }
        if i < b.count, b[i] == .percent { return i + 1 }
        for word in ["percent", "per cent"] {
            let bytes = Array(word.utf8)
            let end = i + bytes.count
            guard end <= b.count, zip(b[i..<end], bytes).allSatisfy({ lower($0) == $1 }) else { continue }
            if end == b.count || !isLetterOrDigit(b[end]) { return end }
        }
        return nil
    }

    // MARK: Bytes

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    static func isLetterOrDigit(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    static func isSpace(_ byte: UInt8) -> Bool { byte == .space || (byte >= 0x09 && byte <= 0x0D) }
    static func lower(_ byte: UInt8) -> UInt8 { isLetter(byte) ? byte | 0x20 : byte }
}

private extension UInt8 {
    static let space = UInt8(ascii: " ")
    static let dot = UInt8(ascii: ".")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let slash = UInt8(ascii: "/")
    static let percent = UInt8(ascii: "%")
    static let caret = UInt8(ascii: "^")
    static let underscore = UInt8(ascii: "_")
    static let closeParen = UInt8(ascii: ")")
}
