/// Two sets of results on the same problems, compared question by question: wins (A right, B
/// wrong), losses (A wrong, B right), ties, and the exact McNemar test on the discordant pairs
/// (a two-sided binomial test with p = 1/2; McNemar 1947), right for paired binary outcomes.
public struct PairedComparison: Sendable, Hashable {
    /// Problems both sides answered.
    public var paired: Int
    /// A right, B wrong.
    public var wins: Int
    /// A wrong, B right.
    public var losses: Int
    /// Both right.
    public var bothCorrect: Int
    /// Both wrong.
    public var bothWrong: Int
    /// Problem ids A won, in order.
    public var wonProblems: [String]
    /// Problem ids A lost, in order.
    public var lostProblems: [String]

    /// Pairs the records by problem id (problems only one side has are left out).
    public init(a: [EvalRecord], b: [EvalRecord]) {
        let right = Dictionary(b.map { ($0.problemID, $0.correct) }, uniquingKeysWith: { first, _ in first })
        var paired = 0, wins = 0, losses = 0, both = 0, neither = 0
        var won: [String] = [], lost: [String] = []
        for record in a {
            guard let other = right[record.problemID] else { continue }
            paired += 1
            switch (record.correct, other) {
            case (true, false): wins += 1; won.append(record.problemID)
            case (false, true): losses += 1; lost.append(record.problemID)
            case (true, true): both += 1
            case (false, false): neither += 1
            }
        }
        self.paired = paired
        self.wins = wins
        self.losses = losses
        self.bothCorrect = both
        self.bothWrong = neither
        self.wonProblems = won
        self.lostProblems = lost
    }

    /// Accuracy of A minus accuracy of B on the paired problems.
    public var accuracyDifference: Double {
        paired == 0 ? 0 : Double(wins - losses) / Double(paired)
    }

    /// The exact two-sided McNemar p-value: 2 · P(X ≤ min(wins, losses)), X ~ Binomial(wins + losses, 1/2),
    /// capped at 1; 1 when there are no discordant pairs.
    public var pValue: Double {
        Self.exactMcNemar(wins: wins, losses: losses)
    }

    /// The exact McNemar p-value for the given discordant counts.
    public static func exactMcNemar(wins: Int, losses: Int) -> Double {
        let n = wins + losses
        guard n > 0 else { return 1 }
        let smaller = min(wins, losses)
        // Sum C(n, i) / 2^n in log space so large n does not overflow.
        var tail = 0.0
        var logChoose = 0.0  // log C(n, 0)
        let logHalf = Double(n) * log(0.5)
        for i in 0...smaller {
            if i > 0 { logChoose += log(Double(n - i + 1)) - log(Double(i)) }
            tail += exp(logChoose + logHalf)
        }
        return min(1, 2 * tail)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
