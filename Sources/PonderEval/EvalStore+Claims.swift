import Foundation
import GRDB

/// What `EvalStore.claim` found for one question.
public enum ClaimOutcome: Sendable, Hashable {
    /// The caller owns the question now and should answer it (`tookOver`: from a dead or stale owner).
    case claimed(tookOver: Bool)
    /// A result with this prompt hash is already stored (another process finished it).
    case finished(correct: Bool)
    /// Another live session holds it.
    case heldBy(ClaimOwner)
}

extension EvalStore {
    /// Claims one (problem, setting) of a run for `owner` before it is answered, in one write
    /// transaction: a stored result with `promptHash` means it is done; a claim by another session
    /// stands while its process exists (same host) and its heartbeat is younger than `staleAfter`;
    /// otherwise the caller takes it.
    public func claim(run id: String, problemID: String, setting: EvalSetting, promptHash: String, owner: ClaimOwner,
                      staleAfter: Duration) async throws(EvalStoreError) -> ClaimOutcome {
        let stale = Double(staleAfter.components.seconds) + Double(staleAfter.components.attoseconds) / 1e18
        return try await access {
            try queue.write { db in
                let key: StatementArguments = [id, problemID, setting.strategy.rawValue, setting.effort.rawValue]
                if let done = try Row.fetchOne(db, sql: """
                    SELECT correct FROM result WHERE runID = ? AND problemID = ? AND strategy = ? AND effort = ? AND promptHash = ?
                    """, arguments: key + [promptHash]) {
                    return .finished(correct: done["correct"])
                }
                let now = Date().timeIntervalSince1970
                var tookOver = false
                if let row = try Row.fetchOne(db, sql: """
                    SELECT session, pid, host, heartbeat FROM claim WHERE runID = ? AND problemID = ? AND strategy = ? AND effort = ?
                    """, arguments: key) {
                    let holder = ClaimOwner(session: row["session"], pid: Int32(truncatingIfNeeded: row["pid"] as Int), host: row["host"])
                    let heartbeat: Double = row["heartbeat"]
                    if holder.session != owner.session {
                        if now - heartbeat < stale, holder.processExists { return .heldBy(holder) }
                        tookOver = true
                    }
                }
                try db.execute(sql: """
                    INSERT OR REPLACE INTO claim (runID, problemID, strategy, effort, session, pid, host, heartbeat)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: key + [owner.session, Int(owner.pid), owner.host, now])
                return .claimed(tookOver: tookOver)
            }
        }
    }

    /// Refreshes the heartbeat of every claim `owner` holds.
    public func heartbeat(_ owner: ClaimOwner) async throws(EvalStoreError) {
        try await access {
            try queue.write { db in
                try db.execute(sql: "UPDATE claim SET heartbeat = ? WHERE session = ?",
                               arguments: [Date().timeIntervalSince1970, owner.session])
            }
        }
    }

    /// Drops every claim `owner` still holds (a session that ends, by error or cancellation too).
    public func release(_ owner: ClaimOwner) async throws(EvalStoreError) {
        try await access {
            try queue.write { db in try db.execute(sql: "DELETE FROM claim WHERE session = ?", arguments: [owner.session]) }
        }
    }

    /// The claims of a run, as (problem id, setting, owner, heartbeat in seconds since 1970).
    public func claims(run id: String) async throws(EvalStoreError) -> [(problemID: String, setting: EvalSetting, owner: ClaimOwner, heartbeat: Double)] {
        try await access {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM claim WHERE runID = ? ORDER BY problemID", arguments: [id]).compactMap { row in
                    guard let setting = EvalSetting("\(row["strategy"] as String)@\(row["effort"] as String)") else { return nil }
                    let owner = ClaimOwner(session: row["session"], pid: Int32(truncatingIfNeeded: row["pid"] as Int), host: row["host"])
                    return (row["problemID"], setting, owner, row["heartbeat"])
                }
            }
        }
    }
}
