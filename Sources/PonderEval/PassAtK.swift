/// The unbiased pass@k estimator of Chen et al. 2021 (the HumanEval paper): with `n` samples of
/// which `c` pass, pass@k = 1 − C(n−c, k) / C(n, k), computed as a stable product.
public enum PassAtK {
    /// pass@k for one problem; 1 when fewer than k samples fail; nil when k is not in 1...n.
    public static func estimate(samples n: Int, correct c: Int, k: Int) -> Double? {
        guard n >= 1, (1...n).contains(k), (0...n).contains(c) else { return nil }
        if c == 0 { return 0 }
        if n - c < k { return 1 }
        // C(n-c, k) / C(n, k) = ∏_{i = n-c+1}^{n} (1 − k / i)
        var failAll = 1.0
        for i in (n - c + 1)...n {
            failAll *= 1 - Double(k) / Double(i)
        }
        return 1 - failAll
    }

    /// The mean pass@k over records that have at least k samples; nil when none do.
    public static func mean(_ records: [EvalRecord], k: Int) -> Double? {
        let values = records.compactMap { estimate(samples: $0.samplesTotal, correct: $0.samplesCorrect, k: k) }
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
