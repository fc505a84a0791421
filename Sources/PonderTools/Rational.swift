import BigInt

/// An exact rational number (numerator / denominator, reduced, denominator > 0) with a size
/// bound, so arithmetic the model writes can never exhaust memory or time.
public struct Rational: Sendable, Hashable, CustomStringConvertible {
    /// The numerator (carries the sign).
    public let numerator: BigInt
    /// The denominator, always positive.
    public let denominator: BigInt

    /// Largest number of decimal digits a numerator or denominator may have.
    public static let maxDigits = 400

    /// An integer.
    public init(_ value: BigInt) {
        numerator = value
        denominator = 1
    }

    /// `numerator / denominator`, reduced. Throws on a zero denominator or a value past the size bound.
    public init(_ numerator: BigInt, _ denominator: BigInt) throws(CalculatorError) {
        guard denominator != 0 else { throw .divisionByZero }
        let divisor = numerator.greatestCommonDivisor(with: denominator)
        var top = numerator / divisor
        var bottom = denominator / divisor
        if bottom < 0 { top = -top; bottom = -bottom }
        guard Self.fits(top), Self.fits(bottom) else { throw .tooLarge }
        self.numerator = top
        self.denominator = bottom
    }

    private static let bound = BigInt(10).power(maxDigits)

    private static func fits(_ value: BigInt) -> Bool { value.magnitude < bound.magnitude }

    /// Whether the value is an integer.
    public var isInteger: Bool { denominator == 1 }

    static func + (a: Rational, b: Rational) throws(CalculatorError) -> Rational {
        try Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }

    static func - (a: Rational, b: Rational) throws(CalculatorError) -> Rational {
        try Rational(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator)
    }

    static func * (a: Rational, b: Rational) throws(CalculatorError) -> Rational {
        try Rational(a.numerator * b.numerator, a.denominator * b.denominator)
    }

    static func / (a: Rational, b: Rational) throws(CalculatorError) -> Rational {
        guard b.numerator != 0 else { throw .divisionByZero }
        return try Rational(a.numerator * b.denominator, a.denominator * b.numerator)
    }

    var negated: Rational { Rational(uncheckedNumerator: -numerator, denominator: denominator) }

    private init(uncheckedNumerator: BigInt, denominator: BigInt) {
        self.numerator = uncheckedNumerator
        self.denominator = denominator
    }

    /// `self` to an integer power. Fractional exponents are refused (roots are rarely exact);
    /// results past the size bound throw before they are computed.
    func power(_ exponent: Rational) throws(CalculatorError) -> Rational {
        guard exponent.isInteger else { throw .unsupported("fractional powers") }
        guard let e = Int(exactly: exponent.numerator), abs(e) <= 10_000 else { throw .tooLarge }
        if numerator == 0 {
            if e < 0 { throw .divisionByZero }
            return e == 0 ? Rational(1) : self
        }
        // Estimate the digits first: |n|^e has about e × digits(n) digits.
        let digits = max(numerator.magnitude.description.count, denominator.description.count)
        if abs(e) * (digits - 1) > Self.maxDigits { throw .tooLarge }
        let top = numerator.power(abs(e))
        let bottom = denominator.power(abs(e))
        return e >= 0 ? try Rational(top, bottom) : try Rational(bottom, top)
    }

    /// Decimal text as a person writes a result: integers exactly (`68`, `-12`), fractions whose
    /// decimal expansion ends within 12 places exactly (`2.25`), others rounded to 6 places
    /// (`2.333333`), trailing zeros removed.
    public var description: String {
        if isInteger { return numerator.description }
        var rest = denominator
        var places = 0
        while rest % 2 == 0 { rest /= 2; places += 1 }
        var fives = 0
        while rest % 5 == 0 { rest /= 5; fives += 1 }
        places = max(places, fives)
        if rest == 1, places <= 12 { return decimal(places: places, rounded: false) }
        return decimal(places: 6, rounded: true)
    }

    private func decimal(places: Int, rounded: Bool) -> String {
        let scale = BigInt(10).power(places)
        var scaled = (numerator.magnitude * scale.magnitude)
        let (quotient, remainder) = scaled.quotientAndRemainder(dividingBy: denominator.magnitude)
        scaled = quotient
        if rounded, remainder * 2 >= denominator.magnitude { scaled += 1 }
        var digits = String(scaled)
        if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
        var whole = String(digits.dropLast(places))
        var fraction = String(digits.suffix(places))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if whole.isEmpty { whole = "0" }
        let sign = numerator < 0 && (scaled != 0) ? "-" : ""
        return sign + whole + (fraction.isEmpty ? "" : "." + fraction)
    }
}
