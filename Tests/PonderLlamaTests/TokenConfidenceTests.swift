import Foundation
@testable import PonderLlama
import Testing

/// The fast token confidence against the plain computation it replaces, on known logits.
@Suite struct TokenConfidenceTests {
    /// The plain definition: softmax in Double, the top k, negative mean log-probability.
    static func exact(_ logits: [Float], top: Int) -> Double {
        let maximum = Double(logits.max()!)
        let normalizer = maximum + log(logits.reduce(0.0) { $0 + Foundation.exp(Double($1) - maximum) })
        let best = logits.sorted(by: >).prefix(top)
        return -best.reduce(0.0) { $0 + (Double($1) - normalizer) } / Double(best.count)
    }

    @Test(arguments: [1, 5, 10, 20])
    func matchesThePlainComputation(top: Int) {
        var generator = SystemRandomNumberGenerator()
        for size in [7, 16, 49_152, 49_157] {
            let logits = (0..<size).map { _ in Float.random(in: -30...12, using: &generator) }
            let fast = logits.withUnsafeBufferPointer { TokenConfidence.of($0, top: top) }
            let plain = Self.exact(logits, top: min(top, size))
            #expect(abs(fast - plain) <= 1e-4 * max(1, abs(plain)), "size \(size), top \(top): \(fast) vs \(plain)")
        }
    }

    @Test func topValuesAreTheLargestInOrder() {
        let values: [Float] = (0..<100).map { Float(($0 * 37) % 100) }
        let top = values.withUnsafeBufferPointer { TokenConfidence.topValues($0, top: 5) }
        #expect(top == [99, 98, 97, 96, 95])
    }

    @Test func theNormalizerMatchesAFullSum() {
        let values: [Float] = (0..<1000).map { -Float($0) / 10 }
        let fast = values.withUnsafeBufferPointer { TokenConfidence.expSum($0, minus: 0) }
        let full = values.reduce(0.0) { $0 + Foundation.exp(Double($1)) }
        #expect(abs(Double(fast) - full) <= 1e-6 * full)
    }
}
