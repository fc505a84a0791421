import PonderCore

/// Compares two greedy runs of the same context that were decoded in different batch shapes
/// (alone or with other sequences, prompt at once or token by token). The floating-point sums
/// differ between such shapes, so a small model's argmax may flip where two candidates are
/// nearly tied; anything else is a real difference. A test asserts the mechanism (same context,
/// same continuation) without depending on which of two near-equal tokens a CPU happens to pick.
public enum GreedyAgreement {
    /// Why `other` is not the same greedy continuation as `reference`, or nil when it is: equal
    /// up to the shorter run's end, or up to a first difference where `reference`'s own top
    /// log-probabilities show the token `other` took within `tolerance` nats of the best.
    ///
    /// - Parameters:
    ///   - reference: tokens of one run.
    ///   - referenceTop: that run's top log-probabilities per token (at least 2 alternatives).
    ///   - other: tokens of the other run.
    ///   - tolerance: how close (in nats) a near tie is.
    public static func mismatch(reference: [Int32], referenceTop: [[TokenLogprob]], other: [Int32],
                                tolerance: Double = 0.3) -> String? {
        for position in 0..<min(reference.count, other.count) where reference[position] != other[position] {
            guard position < referenceTop.count, let best = referenceTop[position].first else {
                return "the runs differ at token \(position) and no log-probabilities were recorded there"
            }
            guard let taken = referenceTop[position].first(where: { $0.token == other[position] }) else {
                return "the runs differ at token \(position): \(other[position]) is not among the reference's top \(referenceTop[position].count)"
            }
            let gap = best.logprob - taken.logprob
            return gap <= tolerance ? nil
                : "the runs differ at token \(position), which was no near tie: \(best.token) at \(best.logprob), \(taken.token) at \(taken.logprob)"
        }
        return nil
    }
}
