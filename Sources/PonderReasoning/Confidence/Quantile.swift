/// Quantiles of measured values: the confident-vote bar at warm-up and the confidence
/// percentiles a trained verifier stores share this one definition.
public enum Quantile {
    /// The `q` quantile (clamped to 0...1) of `values`, linearly interpolated between the two
    /// nearest ranks; nil for no values.
    public static func of(_ values: [Double], _ q: Double) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let position = min(max(q, 0), 1) * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}
