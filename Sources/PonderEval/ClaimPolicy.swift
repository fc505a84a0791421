/// How processes that share one run claim questions, validated at construction. A claim is taken
/// over when its process is gone (same host) or its heartbeat is older than `staleAfter` (a process
/// on another host, or one that hangs).
///
/// ```swift
/// let policy = try ClaimPolicy(staleAfter: .seconds(120), heartbeat: .seconds(20), poll: .seconds(2))
/// ```
public struct ClaimPolicy: Sendable, Hashable {
    /// A claim whose heartbeat is older than this is stale, 100 ms...1 day.
    public let staleAfter: Duration
    /// How often a session refreshes the heartbeat of its claims; shorter than `staleAfter`.
    public let heartbeat: Duration
    /// How often a session that has only questions held by others left checks them again, 10 ms...1 min.
    public let poll: Duration

    /// The default: stale after 2 minutes, heartbeat every 20 s, poll every 2 s.
    public static let standard = try! ClaimPolicy(staleAfter: .seconds(120), heartbeat: .seconds(20), poll: .seconds(2))

    /// Creates a validated policy.
    /// - Throws: `ClaimPolicyError.invalid` naming the value out of range.
    public init(staleAfter: Duration, heartbeat: Duration, poll: Duration) throws(ClaimPolicyError) {
        guard staleAfter >= .milliseconds(100), staleAfter <= .seconds(86_400) else {
            throw .invalid("claim staleness \(staleAfter) is outside 100 ms...1 day")
        }
        guard heartbeat > .zero, heartbeat < staleAfter else {
            throw .invalid("claim heartbeat \(heartbeat) must be above zero and below the staleness \(staleAfter)")
        }
        guard poll >= .milliseconds(10), poll <= .seconds(60) else {
            throw .invalid("claim poll interval \(poll) is outside 10 ms...1 min")
        }
        self.staleAfter = staleAfter
        self.heartbeat = heartbeat
        self.poll = poll
    }
}

/// A claim policy out of range.
public enum ClaimPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `message` names the value and its range.
    case invalid(String)

    /// A one-line message for a person.
    public var description: String {
        switch self {
        case .invalid(let message): return message
        }
    }
}
