/// An amount of money in whole cents, so that sums, products and exact divisions of money never
/// drift as floating point would: `$4.25 × 3` is 425 × 3 = 1275 cents, written `12.75`.
struct Cents: Sendable, Hashable, Comparable {
    /// The amount in cents.
    let value: Int

    init(_ value: Int) {
        self.value = value
    }

    /// A whole number of dollars.
    static func dollars(_ dollars: Int) -> Cents { Cents(dollars * 100) }

    /// The amount as a figure in questions and solution steps: `"12.50"`, `"0.75"`, or `"12"` for
    /// whole dollars. The arithmetic claim checker reads it exactly.
    var figure: String {
        let whole = value / 100, rest = value % 100
        guard rest != 0 else { return String(whole) }
        return "\(whole)." + (rest < 10 ? "0" : "") + String(rest)
    }

    /// The amount with its sign, as a question writes it: `"$12.50"`.
    var text: String { "$" + figure }

    /// The graders' canonical number text (the shortest exact decimal): `"12.5"`, `"12.75"`, `"12"`.
    var canonical: String {
        let whole = value / 100, rest = value % 100
        if rest == 0 { return String(whole) }
        if rest % 10 == 0 { return "\(whole).\(rest / 10)" }
        return "\(whole)." + (rest < 10 ? "0" : "") + String(rest)
    }

    /// Whether the amount has cents (is not a whole number of dollars).
    var hasCents: Bool { value % 100 != 0 }

    static func + (left: Cents, right: Cents) -> Cents { Cents(left.value + right.value) }
    static func - (left: Cents, right: Cents) -> Cents { Cents(left.value - right.value) }
    static func * (left: Cents, right: Int) -> Cents { Cents(left.value * right) }
    static func * (left: Int, right: Cents) -> Cents { Cents(left * right.value) }
    static func < (left: Cents, right: Cents) -> Bool { left.value < right.value }

    /// An exact share: only called on amounts built as `share × count`.
    static func / (left: Cents, right: Int) -> Cents {
        precondition(left.value % right == 0, "an inexact division of money")
        return Cents(left.value / right)
    }
}
