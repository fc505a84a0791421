import Foundation
import GRDB
import PonderCore
import Testing
@testable import PonderEval

/// Two processes may write one results file at once (an eval per core); a writer waits for the
/// other's lock instead of failing with "database is locked".
@Suite struct SharedStoreTests {
    @Test func aStoreWaitsForAnotherConnectionsWriteLock() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("runs.sqlite").path
        _ = try EvalStore(path: path)
        let other = try DatabaseQueue(path: path)
        let locked = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? other.inDatabase { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                locked.signal()
                Thread.sleep(forTimeInterval: 0.8)
                try db.execute(sql: "COMMIT")
            }
        }
        holder.start()
        locked.wait()
        let started = Date()
        let store = try EvalStore(path: path)
        try await store.begin(EvalRunInfo(id: "shared", model: .test("m.gguf"), prompt: "instruct@1", dataset: "d", seed: 1))
        #expect(Date().timeIntervalSince(started) > 0.3, "the lock was held, so the store had to wait")
        #expect(try await store.runIDs() == ["shared"])
    }
}
