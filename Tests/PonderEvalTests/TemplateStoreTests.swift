import Foundation
import GRDB
import PonderCore
import PonderReasoning
import PonderTesting
import Testing
@testable import PonderEval

/// Each stored result names the template its problem came from (schema `v4`), and a database
/// written before the column existed opens and keeps working.
@Suite("Template in the store")
struct TemplateStoreTests {
    static let setting = EvalSetting(strategy: .cot, effort: .low)

    static func record(_ id: String, template: String?) -> EvalRecord {
        EvalRecord(problemID: id, setting: setting, promptHash: "h", seed: 1, extractedAnswer: "3", expected: "3", correct: true,
                   anyChainCorrect: true, reasoningTokens: 4, answerTokens: 2, seconds: 0.5, template: template)
    }

    @Test func aRecordsTemplateIsSavedAndReadBack() async throws {
        let directory = try TemporaryDirectory()
        let store = try EvalStore(path: directory.url.appendingPathComponent("t.sqlite").path)
        let info = EvalRunInfo(id: "t", model: .test("m"), prompt: "instruct@1", dataset: "generated story-problems count=2 seed=1", seed: 1)
        try await store.begin(info)
        try await store.save(Self.record("a", template: "unit-cost"), run: info, position: 0)
        try await store.save(Self.record("b", template: nil), run: info, position: 1)
        let records = try await store.records(run: "t")
        #expect(records.map(\.template) == ["unit-cost", nil])
        #expect(records == [Self.record("a", template: "unit-cost"), Self.record("b", template: nil)])
    }

    @Test func aSessionStoresEachProblemsTemplate() async throws {
        let path = ResumeTests.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let problems = try ProblemGenerator(family: .storyProblems, seed: 3).generate(count: 6, templates: .heldOut)
        let model = ScriptedModel { _ in .init("Adding up gives 7.\nAnswer: 7") }
        let runner = EvalRunner(reasoner: Reasoner(model: model), seed: 5)
        let info = EvalRunInfo(id: "story", model: .test("scripted"), prompt: runner.reasoner.prompt.label,
                               dataset: ProblemSource.generated(.init(family: .storyProblems, seed: 3, count: 6, templates: .heldOut)).description,
                               seed: 5)
        #expect(info.dataset.hasSuffix(" templates=held-out"))
        let store = try EvalStore(path: path)
        _ = try await EvalSession(runner: runner, store: store, info: info).run(problems, settings: [Self.setting])
        let stored = Dictionary(uniqueKeysWithValues: try await store.records(run: "story").map { ($0.problemID, $0.template) })
        #expect(stored.count == 6)
        for problem in problems { #expect(stored[problem.id] == problem.template && problem.template != nil) }
    }

    @Test("a v3 database, without the template column, opens, reads and takes new results")
    func storeWithoutTheTemplateColumnOpens() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("v3.sqlite").path
        let old = try DatabaseQueue(path: path)
        try await old.write { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1'), ('v2'), ('v3');
                CREATE TABLE run (id TEXT PRIMARY KEY, createdAt TEXT NOT NULL, model TEXT NOT NULL, dataset TEXT NOT NULL,
                  seed INTEGER NOT NULL, samples INTEGER, maxReasoningTokens INTEGER, tools TEXT NOT NULL, sandbox TEXT NOT NULL,
                  modelDigest TEXT NOT NULL DEFAULT '', prompt TEXT NOT NULL DEFAULT '', confidence TEXT NOT NULL DEFAULT '');
                CREATE TABLE result (runID TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, problemID TEXT NOT NULL,
                  strategy TEXT NOT NULL, effort TEXT NOT NULL, position INTEGER NOT NULL, model TEXT NOT NULL,
                  promptHash TEXT NOT NULL, seed INTEGER NOT NULL, extractedAnswer TEXT, expected TEXT NOT NULL,
                  correct BOOLEAN NOT NULL, anyChainCorrect BOOLEAN NOT NULL, samplesCorrect INTEGER NOT NULL,
                  samplesTotal INTEGER NOT NULL, reasoningTokens INTEGER NOT NULL, answerTokens INTEGER NOT NULL,
                  seconds DOUBLE NOT NULL, tools TEXT NOT NULL, trace TEXT, finishedAt TEXT NOT NULL,
                  PRIMARY KEY (runID, problemID, strategy, effort));
                CREATE TABLE claim (runID TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, problemID TEXT NOT NULL,
                  strategy TEXT NOT NULL, effort TEXT NOT NULL, session TEXT NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL,
                  heartbeat DOUBLE NOT NULL, PRIMARY KEY (runID, problemID, strategy, effort));
                INSERT INTO run VALUES ('old', '2026-11-01T00:00:00Z', 'm', 'generated word-problems count=2 seed=1', 1, NULL, NULL,
                  '', '', 'sha256:aa', 'instruct@1', '');
                INSERT INTO result VALUES ('old', 'p1', 'cot', 'low', 0, 'm', 'h', 1, '3', '3', 1, 1, 1, 1,
                  4, 2, 0.5, '', NULL, '2026-11-01T00:00:01Z');
                """)
        }
        try old.close()
        let store = try EvalStore(path: path)
        #expect(try await store.records(run: "old") == [Self.record("p1", template: nil)])
        // The run resumes as before (same identity), and a new result keeps its template.
        let info = EvalRunInfo(id: "old", model: .test("m"), prompt: "instruct@1", dataset: "generated word-problems count=2 seed=1", seed: 1)
        #expect(try await store.begin(info) == true)
        try await store.save(Self.record("p2", template: "rows"), run: info, position: 1)
        #expect(try await store.records(run: "old").map(\.template) == [nil, "rows"])
        #expect(try await store.finishedKeys(run: "old").count == 2)
    }
}
