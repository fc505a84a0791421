import Foundation
import GRDB
import PonderCore
import PonderReasoning
import PonderTesting
import Testing
@testable import PonderEval

/// Several sessions, in one process or in several, on one run: every question is answered exactly
/// once in total, and a claim left by a dead or silent owner is taken over.
@Suite("Shared runs")
struct ClaimTests {
    static let settings = [EvalSetting(strategy: .direct, effort: .low), EvalSetting(strategy: .cot, effort: .low)]
    static let fast = try! ClaimPolicy(staleAfter: .seconds(1), heartbeat: .milliseconds(200), poll: .milliseconds(20))
    /// For sessions that both stay alive: a claim goes stale only after 10 s, so a loaded machine
    /// (the whole suite in parallel on two cores) cannot make a live owner look dead.
    static let steady = try! ClaimPolicy(staleAfter: .seconds(10), heartbeat: .milliseconds(200), poll: .milliseconds(20))

    static func session(_ model: any LanguageModel, path: String, concurrency: Int = 1, claims: ClaimPolicy = fast) throws -> EvalSession {
        let runner = EvalRunner(reasoner: Reasoner(model: model), seed: 5)
        let info = EvalRunInfo(id: "shared", model: .test("scripted"), prompt: runner.reasoner.prompt.label, dataset: "generated", seed: 5)
        return EvalSession(runner: runner, store: try EvalStore(path: path), info: info, concurrency: concurrency, claims: claims)
    }

    @Test("two sessions on one run at once answer each question exactly once between them")
    func twoSessionsShareTheWork() async throws {
        let path = ResumeTests.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let problems = try ResumeTests.problems()
        let first = arithmeticModel(), second = arithmeticModel()
        let a = try Self.session(DelayedModel(base: first, delay: .milliseconds(15)), path: path, concurrency: 2, claims: Self.steady)
        let b = try Self.session(DelayedModel(base: second, delay: .milliseconds(15)), path: path, concurrency: 2, claims: Self.steady)
        let ranA = Counter(), ranB = Counter()
        async let left = a.run(problems, settings: Self.settings) { ranA.set($0.ranHere) }
        async let right = b.run(problems, settings: Self.settings) { ranB.set($0.ranHere) }
        let (summariesA, summariesB) = try await (left, right)
        #expect(ranA.get() + ranB.get() == 12, "ran \(ranA.get()) + \(ranB.get())")
        let serialPath = ResumeTests.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: serialPath) }
        let alone = arithmeticModel()
        let serial = try await Self.session(alone, path: serialPath).run(problems, settings: Self.settings)
        #expect(first.requests.count + second.requests.count == alone.requests.count, "no question was asked twice")
        for (x, (y, z)) in zip(serial, zip(summariesA, summariesB)) {
            #expect(x.count == y.count && y.count == z.count && x.correct == y.correct && y.correct == z.correct)
        }
        #expect(try await a.store.claims(run: "shared").isEmpty, "finished sessions leave no claims")
    }

    @Test("claims of a dead process and of a silent one are taken over; a live one is waited for")
    func staleClaimsAreTakenOver() async throws {
        let path = ResumeTests.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let problems = Array(try ResumeTests.problems().prefix(3))
        let setting = [EvalSetting(strategy: .direct, effort: .low)]
        let model = arithmeticModel()
        let session = try Self.session(model, path: path)
        try await session.store.begin(session.info)

        // p0: a process on this machine that no longer exists; p1: another machine, silent for an hour;
        // p2: another machine, alive, which finishes the question itself a moment later.
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let host = ProcessInfo.processInfo.hostName
        let now = Date().timeIntervalSince1970
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            for (index, pid, claimHost, heartbeat) in [(0, Int(dead.processIdentifier), host, now), (1, 4242, "elsewhere", now - 3600),
                                                       (2, 4242, "elsewhere", now + 3600)] {
                try db.execute(sql: "INSERT INTO claim VALUES ('shared', ?, 'direct', 'low', ?, ?, ?, ?)",
                               arguments: [problems[index].id, "other-\(index)", pid, claimHost, heartbeat])
            }
        }
        let other = Task {
            try await Task.sleep(for: .milliseconds(300))
            let record = try await EvalRunner(reasoner: Reasoner(model: arithmeticModel()), seed: 5).run(problems[2], index: 2, setting: setting[0])
            try await session.store.save(record, run: session.info, position: 2)
        }
        let ran = Counter(), done = Counter()
        let summaries = try await session.run(problems, settings: setting) { ran.set($0.ranHere); done.set($0.done) }
        try await other.value
        #expect(ran.get() == 2, "p0 and p1 were taken over, p2 was left to its live owner")
        #expect(done.get() == 3 && summaries[0].count == 3)
        #expect(model.requests.count == 2)
        #expect(try await session.store.claims(run: "shared").map(\.problemID) == [problems[2].id],
                "only the live owner's claim is left (it saved without releasing)")
    }

    @Test("two ponder-test-harness processes on one run answer each question exactly once between them")
    func twoProcessesShareTheWork() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("runs.sqlite").path
        _ = try EvalStore(path: path)   // created (and migrated) once, before the two race
        let children = try (0..<2).map { _ in try HarnessProcess.start(["eval", path, "shared-run", "--count", "10", "--delay-ms", "25"]) }
        let results = children.map { $0.wait() }
        for result in results { #expect(result.status == 0 && !result.signalled, "\(result.errors)") }
        let ran = results.compactMap { result in
            result.output.split(separator: "\n").last.flatMap { Int($0.dropFirst("ran ".count)) }
        }
        #expect(ran.count == 2 && ran.reduce(0, +) == 20, "each process printed what it ran: \(results.map(\.output))")
        print("two processes split 20 questions as \(ran)")
        let store = try EvalStore(path: path)
        #expect(try await store.records(run: "shared-run").count == 20)
        #expect(try await store.claims(run: "shared-run").isEmpty)
    }
}
