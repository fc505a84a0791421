/// A number read from an answer, kept exact whenever it can be.
///
/// Values are stored as a reduced fraction of two `Int`s (`1,000` is 1000/1, `0.5` and `\frac{1}{2}`
/// are both 1/2), as an exact integer of any length (`123456789012345678901234567890`), or, when a
/// non-integer is too long to keep exactly (`0.1234567890123456789012`), as a `Double`.
///
/// `==` compares the stored values exactly. To compare answers the way a grader should (with a
/// tolerance, and with the percent rule), use ``AnswerEquivalence``.
///
/// ```swift
/// let half = ExactNumber(numerator: 2, denominator: 4)!
/// half.description          // "0.5"
/// half.fraction             // (numerator: 1, denominator: 2)
/// ExactNumber(numerator: 1, denominator: 3)!.description   // "1/3"
/// ```
public struct ExactNumber: Sendable, Hashable, CustomStringConvertible {
    enum Storage: Sendable, Hashable {
        /// numerator / denominator: reduced, denominator > 0, neither is `Int.min`.
        case ratio(Int, Int)
        /// An integer beyond `Int`: its sign and decimal digits, without leading zeros.
        case bigInteger(negative: Bool, digits: String)
        /// A finite value too long to keep exactly.
        case approximate(Double)
    }

    let storage: Storage

    private init(storage: Storage) {
        self.storage = storage
    }

    /// An exact integer.
    public init(_ value: Int) {
        if value == .min {
            storage = .bigInteger(negative: true, digits: String(String(value).dropFirst()))
        } else {
            storage = .ratio(value, 1)
        }
    }

    /// An exact fraction, reduced; `nil` when `denominator` is 0.
    public init?(numerator: Int, denominator: Int) {
        guard let number = Self.reduced(numerator, denominator) else { return nil }
        self = number
    }

    /// A number from a `Double`; integral values below 2^53 become exact integers, other values are
    /// kept approximately. `nil` when `value` is not finite.
    public init?(_ value: Double) {
        guard let number = Self.approximately(value) else { return nil }
        self = number
    }

    /// The value as a `Double` (may be infinite for an integer with more than 308 digits).
    public var doubleValue: Double {
        switch storage {
        case let .ratio(numerator, denominator):
            return Double(numerator) / Double(denominator)
        case let .bigInteger(negative, digits):
            let magnitude = Double(digits) ?? .infinity
            return negative ? -magnitude : magnitude
        case let .approximate(value):
            return value
        }
    }

    /// Whether the value is known exactly to be an integer (approximate values never are).
    public var isInteger: Bool {
        switch storage {
        case let .ratio(_, denominator): return denominator == 1
        case .bigInteger: return true
        case .approximate: return false
        }
    }

    /// The reduced fraction (denominator > 0) when the value is exact and both parts fit in `Int`.
    public var fraction: (numerator: Int, denominator: Int)? {
        guard case let .ratio(numerator, denominator) = storage else { return nil }
        return (numerator, denominator)
    }

    /// The canonical text: integers as integers (`"1000"`), fractions whose decimal expansion ends
    /// as decimals (`"0.5"`, `"-2.25"`), other fractions as `"p/q"` (`"1/3"`), approximate values
    /// as Swift prints a `Double`.
    public var description: String {
        switch storage {
        case let .ratio(numerator, denominator):
            if denominator == 1 { return String(numerator) }
            return Self.terminatingDecimal(numerator, denominator) ?? "\(numerator)/\(denominator)"
        case let .bigInteger(negative, digits):
            return negative ? "-" + digits : digits
        case let .approximate(value):
            return String(value)
        }
    }

    /// The value written so that `NumberScanner` reads it back exactly: `"p/q"` for fractions
    /// (never a decimal, so a preceding whole number still reads as a mixed number).
    var fractionText: String {
        if case let .ratio(numerator, denominator) = storage, denominator != 1 {
            return "\(numerator)/\(denominator)"
        }
        return description
    }

    // MARK: Arithmetic used while parsing (overflow falls back to an approximate value)

    /// The value with its sign flipped.
    func negated() -> ExactNumber {
        switch storage {
        case let .ratio(numerator, denominator):
            return ExactNumber(storage: .ratio(-numerator, denominator))
        case let .bigInteger(negative, digits):
            return ExactNumber(storage: .bigInteger(negative: !negative, digits: digits))
        case let .approximate(value):
            return ExactNumber(storage: .approximate(-value))
        }
    }

    /// The sum, or `nil` when it is not finite.
    func adding(_ other: ExactNumber) -> ExactNumber? {
        if case let .ratio(a, b) = storage, case let .ratio(c, d) = other.storage,
           let ad = Self.multiply(a, d), let cb = Self.multiply(c, b),
           let top = Self.add(ad, cb), let bottom = Self.multiply(b, d) {
            return Self.reduced(top, bottom)
        }
        return Self.approximately(doubleValue + other.doubleValue)
    }

    /// The quotient, or `nil` when `divisor` is zero or the result is not finite.
    func dividing(by divisor: ExactNumber) -> ExactNumber? {
        guard divisor.doubleValue != 0 else { return nil }
        if case let .ratio(a, b) = storage, case let .ratio(c, d) = divisor.storage,
           let top = Self.multiply(a, d), let bottom = Self.multiply(b, c) {
            return Self.reduced(top, bottom)
        }
        return Self.approximately(doubleValue / divisor.doubleValue)
    }

    /// Builds `±integerDigits.fractionDigits × 10^exponent` from ASCII digit strings, exactly when
    /// it fits; `nil` when the value is not finite.
    static func decimal(negative: Bool, integerDigits: String, fractionDigits: String, exponent: Int) -> ExactNumber? {
        let fraction = String(fractionDigits.reversed().drop(while: { $0 == "0" }).reversed())
        let digits = String((integerDigits + fraction).drop(while: { $0 == "0" }))
        guard !digits.isEmpty else { return ExactNumber(0) }
        let scale = fraction.count - exponent   // value = digits × 10^(-scale)
        let magnitude: ExactNumber?
        if scale <= 0 {
            let length = digits.count - scale
            if length <= 100_000, exponent <= 0 || length <= 400 {   // `1e99999` is not worth 100 KB
                let all = digits + String(repeating: "0", count: -scale)
                if length <= 19, let value = Int(all) {
                    magnitude = ExactNumber(value)
                } else {
                    magnitude = ExactNumber(storage: .bigInteger(negative: false, digits: all))
                }
            } else {
                magnitude = Double(digits + "e\(-scale)").flatMap(approximately)
            }
        } else if digits.count <= 18, scale <= 18, let numerator = Int(digits) {
            magnitude = reduced(numerator, power10(scale))
        } else {
            let text = (integerDigits.isEmpty ? "0" : integerDigits) + "." + fraction + "e\(exponent)"
            magnitude = Double(text).flatMap(approximately)
        }
        return negative ? magnitude?.negated() : magnitude
    }

    // MARK: Helpers

    private static func approximately(_ value: Double) -> ExactNumber? {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return ExactNumber(Int(value))
        }
        return ExactNumber(storage: .approximate(value))
    }

    private static func reduced(_ numerator: Int, _ denominator: Int) -> ExactNumber? {
        guard denominator != 0 else { return nil }
        guard numerator != .min, denominator != .min else {
            return approximately(Double(numerator) / Double(denominator))
        }
        var (top, bottom) = denominator < 0 ? (-numerator, -denominator) : (numerator, denominator)
        let divisor = gcd(abs(top), bottom)
        top /= divisor
        bottom /= divisor
        return ExactNumber(storage: .ratio(top, bottom))
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return max(x, 1)
    }

    private static func multiply(_ a: Int, _ b: Int) -> Int? {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow || result == .min ? nil : result
    }

    private static func add(_ a: Int, _ b: Int) -> Int? {
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow || result == .min ? nil : result
    }

    private static func power10(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { result, _ in result * 10 }
    }

    /// `numerator/denominator` as a decimal when the denominator has no prime factor but 2 and 5.
    private static func terminatingDecimal(_ numerator: Int, _ denominator: Int) -> String? {
        var rest = denominator
        var twos = 0
        var fives = 0
        while rest % 2 == 0 { rest /= 2; twos += 1 }
        while rest % 5 == 0 { rest /= 5; fives += 1 }
        let places = max(twos, fives)
        guard rest == 1, places <= 18, let scaled = multiply(abs(numerator), power10(places) / denominator) else {
            return nil
        }
        var digits = String(scaled)
        if digits.count <= places {
            digits = String(repeating: "0", count: places - digits.count + 1) + digits
        }
        let point = digits.index(digits.endIndex, offsetBy: -places)
        return (numerator < 0 ? "-" : "") + digits[..<point] + "." + digits[point...]
    }
}
