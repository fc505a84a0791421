import Foundation
import PonderCore
import PonderTesting
import Testing
@testable import PonderTraining

/// A STaR run over the scripted backend in a child process (`ponder-test-harness star`), killed
/// with SIGKILL at three random instants and then run to the end, must end exactly like an
/// uninterrupted run: the same kept-chain counts and decisions, byte-identical chains and
/// datasets, every JSONL line whole, no `.partial` file left. The seed is printed; set
/// `PONDER_KILL_SEED` to replay one.
@Suite struct KillTests {
    /// ms per scripted request: long enough for kills to land mid-run, and most of a run's time,
    /// so its length depends little on how loaded the machine is.
    static let delay = "30"

    @Test func aRunKilledThreeTimesAtRandomInstantsEndsLikeAnUninterruptedOne() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let clean = root.appendingPathComponent("clean"), killed = root.appendingPathComponent("killed")

        let cleanChild = try HarnessProcess.start(["star", clean.path, "--delay-ms", Self.delay])
        _ = cleanChild.waitUntilStarted()
        let started = Date()
        let whole = cleanChild.wait()
        try #require(whole.status == 0 && !whole.signalled, "the uninterrupted run failed: \(whole.errors)")
        let duration = Date().timeIntervalSince(started)

        let seed = ProcessInfo.processInfo.environment["PONDER_KILL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
        print("kill test: seed \(seed) (PONDER_KILL_SEED replays it); the uninterrupted run took \(String(format: "%.2f", duration)) s")
        var random = SplitMix64(seed: seed)
        var kills = 0
        for attempt in 1...3 {
            // Each kill lands 5–25% of a whole run's time after its start; a resumed run goes on
            // from where the last one died, so the three kills spread over at most 75% of the run.
            let delay = duration * (0.05 + 0.2 * Double(random.next() % 10_000) / 10_000)
            let child = try HarnessProcess.start(["star", killed.path, "--delay-ms", Self.delay])
            _ = child.waitUntilStarted()
            child.kill(afterSeconds: delay)
            let result = child.wait()
            print("kill \(attempt): SIGKILL after \(String(format: "%.3f", delay)) s: \(result.signalled ? "killed" : "it had already ended (\(result.status))")")
            if result.signalled { kills += 1 } else { #expect(result.status == 0, "\(result.errors)") }
        }
        #expect(kills >= 2, "most kills landed while the run was going")
        let last = try HarnessProcess.start(["star", killed.path, "--delay-ms", Self.delay]).wait()
        try #require(last.status == 0 && !last.signalled, "the resumed run failed: \(last.errors)")

        let cleanRun = clean.appendingPathComponent("run"), killedRun = killed.appendingPathComponent("run")
        let a = try JSONDecoder().decode(StarReport.self, from: Data(contentsOf: cleanRun.appendingPathComponent("report.json")))
        let b = try JSONDecoder().decode(StarReport.self, from: Data(contentsOf: killedRun.appendingPathComponent("report.json")))
        #expect(a.rounds.map(\.accepted) == [true, false], "the scripted run accepts round 1 and rejects round 2")
        #expect(a.baseline.correct == b.baseline.correct && a.baseline.count == b.baseline.count)
        #expect(a.rounds.map(\.counts) == b.rounds.map(\.counts), "kept-chain counts")
        #expect(a.rounds.map(\.accepted) == b.rounds.map(\.accepted))
        #expect(a.rounds.map { $0.evaluation?.correct } == b.rounds.map { $0.evaluation?.correct })
        #expect(a.finalAccuracy == b.finalAccuracy && a.stoppedEarly == b.stoppedEarly)
        #expect(URL(fileURLWithPath: a.finalModel).pathComponents.suffix(2) == URL(fileURLWithPath: b.finalModel).pathComponents.suffix(2))
        for round in 1...a.rounds.count {
            for name in ["chains.jsonl", "dataset.jsonl"] {
                let left = try Data(contentsOf: cleanRun.appendingPathComponent("round-\(round)/\(name)"))
                let right = try Data(contentsOf: killedRun.appendingPathComponent("round-\(round)/\(name)"))
                #expect(left == right, "round-\(round)/\(name) differs from the uninterrupted run's")
            }
        }

        let files = FileManager.default.enumerator(atPath: killed.path)?.compactMap { $0 as? String } ?? []
        #expect(files.filter { $0.hasSuffix(".partial") } == [], "no partial model is left")
        let jsonl = files.filter { $0.hasSuffix(".jsonl") }
        #expect(!jsonl.isEmpty)
        for name in jsonl {
            let data = try Data(contentsOf: killed.appendingPathComponent(name))
            #expect(data.isEmpty || data.last == UInt8(ascii: "\n"), "\(name) ends in a torn line")
            for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
                #expect((try? JSONSerialization.jsonObject(with: Data(line))) is [String: Any], "\(name) line \(number + 1) does not parse")
            }
        }
    }
}
