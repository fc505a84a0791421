/// A small seeded pseudo-random generator (SplitMix64, Steele, Lea & Flood 2014, as in
/// `java.util.SplittableRandom`): the one source of reproducible randomness in Ponder. Problem
/// generators, the fine-tune's validation split and example order, and tests all draw from it.
///
/// Numbers are drawn only through ``next()``, ``int(in:)``, ``pick(_:)``, ``chance(_:in:)`` and
/// ``shuffled(_:)``, never through the standard library's `random(in:using:)` or
/// `shuffled(using:)`, whose algorithms may change between Swift releases: the same seed gives the
/// same problems and the same training order on every toolchain. Stored eval runs and training
/// runs depend on these sequences, so they must never change (`SplitMix64Tests` pins them).
///
/// ```swift
/// var random = SplitMix64(seed: 42)
/// let order = random.shuffled(Array(0..<10))
/// let digit = random.int(in: 0...9)
/// ```
public struct SplitMix64: Sendable, Hashable {
    private var state: UInt64

    /// A generator whose first output is the SplitMix64 of `seed + 0x9E3779B97F4A7C15`.
    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for item `index` of the stream seeded `seed`, independent of the items before
    /// it: problem 7 is the same whether 10 or 1,000 problems are generated.
    public init(seed: UInt64, index: Int) {
        var mixer = SplitMix64(seed: seed ^ 0x5851_F42D_4C95_7F2D)
        state = mixer.next() &+ UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03
        _ = next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly random integer in `range` (rejection sampling, so no modulo bias).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(truncatingIfNeeded: range.upperBound &- range.lowerBound) &+ 1
        guard span != 0 else { return Int(truncatingIfNeeded: next()) }   // the full 64-bit range
        let limit = UInt64.max - UInt64.max % span
        var value = next()
        while value >= limit { value = next() }
        return range.lowerBound + Int(value % span)
    }

    /// A uniformly random element of a non-empty collection.
    public mutating func pick<C: RandomAccessCollection>(_ items: C) -> C.Element where C.Index == Int {
        items[items.startIndex + int(in: 0...(items.count - 1))]
    }

    /// True with probability `numerator / denominator`.
    public mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        int(in: 1...denominator) <= numerator
    }

    /// `items` in a random order: a Fisher–Yates shuffle from the last position down, each swap
    /// partner drawn as `next() % (position + 1)`. (The modulo is slightly biased; it is kept
    /// because stored fine-tune runs were ordered with it.)
    public mutating func shuffled<Element>(_ items: [Element]) -> [Element] {
        var result = items
        guard result.count > 1 else { return result }
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            let other = Int(next() % UInt64(index + 1))
            result.swapAt(index, other)
        }
        return result
    }
}
