import Foundation

/// DeepConf's token confidence from one position's logits, cheap enough to run on every sampled
/// token of every chain: the top `k` logits are found by skipping 16-wide blocks that cannot hold
/// one, and the softmax normalizer skips the terms too small to matter.
enum TokenConfidence {
    /// The negative mean log-probability of the `top` most likely tokens.
    static func of(_ logits: UnsafeBufferPointer<Float>, top: Int) -> Double {
        guard top > 0, !logits.isEmpty else { return 0 }
        let best = topValues(logits, top: top)
        let maximum = best[0]
        let logNormalizer = Double(maximum) + log(Double(expSum(logits, minus: maximum)))
        let kept = best.filter { $0 > -.infinity }
        return -kept.reduce(0.0) { $0 + (Double($1) - logNormalizer) } / Double(kept.count)
    }

    /// The `top` largest values, in descending order (padded with −∞ when there are fewer).
    static func topValues(_ values: UnsafeBufferPointer<Float>, top: Int) -> [Float] {
        var best = [Float](repeating: -.infinity, count: top)
        func insert(_ value: Float) {
            guard value > best[top - 1] else { return }
            var position = top - 1
            while position > 0, best[position - 1] < value {
                best[position] = best[position - 1]
                position -= 1
            }
            best[position] = value
        }
        let blocks = values.count / 16
        for block in 0..<blocks {
            let base = block * 16
            var blockMax = values[base]
            for lane in 1..<16 { blockMax = max(blockMax, values[base + lane]) }
            guard blockMax > best[top - 1] else { continue }
            for lane in 0..<16 { insert(values[base + lane]) }
        }
        for i in (blocks * 16)..<values.count { insert(values[i]) }
        return best
    }

    /// Σ exp(value − shift), for values at most `shift`. Terms below e^−30 are left out: even
    /// 200,000 of them change the sum by less than 2e-8 of its largest term.
    static func expSum(_ values: UnsafeBufferPointer<Float>, minus shift: Float) -> Float {
        let floor = shift - 30
        var total: Float = 0
        for value in values where value > floor { total += expf(value - shift) }
        return total
    }
}
