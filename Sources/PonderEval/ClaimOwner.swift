import Foundation

/// Who answers a question of a shared run: one `EvalSession` (a fresh id each run), in one process
/// (`pid`) on one machine (`host`). Stored in the claim table, so another process can tell a live
/// owner from one that was killed.
public struct ClaimOwner: Sendable, Hashable, CustomStringConvertible {
    /// A fresh id per session, so two sessions in one process do not share claims.
    public var session: String
    /// The owning process.
    public var pid: Int32
    /// The machine it runs on.
    public var host: String

    /// Creates an owner from stored parts.
    public init(session: String, pid: Int32, host: String) {
        self.session = session
        self.pid = pid
        self.host = host
    }

    /// A new owner for a session of this process.
    public static func current() -> ClaimOwner {
        ClaimOwner(session: UUID().uuidString, pid: getpid(), host: ProcessInfo.processInfo.hostName)
    }

    /// Whether the owner's process still exists, as far as this machine can tell: a process on
    /// another host, or this very process, counts as alive (only its heartbeat can age it).
    public var processExists: Bool {
        guard host == ProcessInfo.processInfo.hostName, pid != getpid() else { return true }
        // Signal 0 checks for existence without sending anything; EPERM means it exists under another user.
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// `pid 123 on host`.
    public var description: String { "pid \(pid) on \(host)" }
}
