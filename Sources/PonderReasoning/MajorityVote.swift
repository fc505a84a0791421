/// Majority voting over normalised answers with early stopping (self-consistency).
///
/// Stops as soon as the leader cannot be overtaken by the chains still running, or when the
/// first `agreementWindow` finished chains all agree (adaptive consistency, Aggarwal et al. 2023).
public struct MajorityVote: Sendable {
    /// Chains expected in all.
    public let total: Int
    /// Stop when this many finished chains in a row agree (0 disables the rule).
    public let agreementWindow: Int
    private(set) var counts: [String: Int] = [:]
    private(set) var order: [String] = []   // first-seen order breaks ties
    /// Chains that finished (with or without an answer).
    public private(set) var finished = 0
    private var streakAnswer: String?
    private var streak = 0

    /// Creates a vote over `total` chains.
    public init(total: Int, agreementWindow: Int = 0) {
        self.total = total
        self.agreementWindow = agreementWindow
    }

    /// Records one finished chain's normalised answer (`nil` when it gave none).
    public mutating func record(_ answer: String?) {
        finished += 1
        guard let answer else { streak = 0; streakAnswer = nil; return }
        if counts[answer] == nil { order.append(answer) }
        counts[answer, default: 0] += 1
        if answer == streakAnswer { streak += 1 } else { streakAnswer = answer; streak = 1 }
    }

    /// The leading answer and its votes; ties go to the answer seen first.
    public var leader: (answer: String, votes: Int)? {
        var best: (String, Int)?
        for answer in order {
            let votes = counts[answer] ?? 0
            if best == nil || votes > best!.1 { best = (answer, votes) }
        }
        return best
    }

    /// Votes per answer, in first-seen order.
    public var tally: [(answer: String, votes: Int)] { order.map { ($0, counts[$0] ?? 0) } }

    /// Whether the remaining chains can no longer change the outcome.
    public var isDecided: Bool {
        guard let leader else { return finished >= total }
        let remaining = total - finished
        let runnerUp = tally.filter { $0.answer != leader.answer }.map(\.votes).max() ?? 0
        if leader.votes > runnerUp + remaining { return true }
        if agreementWindow > 0, streak >= agreementWindow, finished == streak { return true }
        return finished >= total
    }
}
