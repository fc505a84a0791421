import Foundation
import GRDB
import PonderCore
import PonderReasoning
import PonderTesting
import Testing
@testable import PonderEval

/// A run is tied to its model's content, prompt, tools, sandbox and answer key: resuming it with
/// another is refused in one line, and a changed answer key can be re-graded instead.
@Suite("Run identity")
struct RunIdentityTests {
    static let setting = [EvalSetting(strategy: .cot, effort: .low), EvalSetting(strategy: .selfConsistency, effort: .low)]

    static func session(_ model: any LanguageModel, path: String, info: EvalRunInfo? = nil,
                        answerKeyChange: EvalSession.AnswerKeyChange = .refuse) throws -> EvalSession {
        let runner = EvalRunner(reasoner: Reasoner(model: model), samples: 3, seed: 5)
        let info = info ?? EvalRunInfo(id: "identity", model: .test("scripted"), prompt: runner.reasoner.prompt.label,
                                       dataset: "generated", seed: 5, samples: 3)
        return EvalSession(runner: runner, store: try EvalStore(path: path), info: info, answerKeyChange: answerKeyChange)
    }

    /// The scripted model's own answer to each problem, as a new answer key.
    static func keyOfTheModel(_ problems: [EvalProblem]) -> [EvalProblem] {
        problems.map { problem in
            let sum = problem.question.split { !$0.isNumber }.compactMap { Int($0) }.reduce(0, +)
            var changed = problem
            changed.expected = String(sum % 3 == 0 ? sum + 1 : sum)
            return changed
        }
    }

    @Test("same run, changed expected answers: refused in one line, and nothing is run")
    func changedAnswerKeyIsRefused() async throws {
        let path = ResumeTests.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let problems = try ResumeTests.problems()
        _ = try await Self.session(arithmeticModel(), path: path).run(problems, settings: Self.setting)
        var edited = problems
        edited[2].expected = "1000"
        let idle = arithmeticModel()
        do {
            _ = try await Self.session(idle, path: path).run(edited, settings: Self.setting)
            Issue.record("a changed answer key was accepted")
        } catch let error as EvalStoreError {
            guard case let .answerKeyChanged(id, count, problemID, _, now) = error else { Issue.record("wrong error \(error)"); return }
            #expect(id == "identity" && count == 2 && problemID == problems[2].id && now == "1000")
            #expect(!error.description.contains("\n") && error.description.contains("--regrade"))
        }
        #expect(idle.requests.isEmpty)
    }

    @Test("with --regrade the stored answers are graded against the new key without running the model")
    func regradeUpdatesCounts() async throws {
        let path = ResumeTests.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let problems = try ResumeTests.problems()
        let before = try await Self.session(arithmeticModel(), path: path).run(problems, settings: Self.setting)
        #expect(before.allSatisfy { $0.correct < $0.count }, "the scripted model misses multiples of 3")

        // The model's own answers become the key: every stored answer is now right.
        let rekeyed = Self.keyOfTheModel(problems)
        let idle = arithmeticModel()
        let after = try await Self.session(idle, path: path, answerKeyChange: .regrade).run(rekeyed, settings: Self.setting)
        #expect(idle.requests.isEmpty, "regrading asks the model nothing")
        #expect(after.map(\.count) == [6, 6])
        #expect(after.allSatisfy { $0.correct == 6 && $0.anyChainAccuracy == 1 })
        #expect(after[1].passAt1 == 1, "each chain was re-graded too")
        let records = try await EvalStore(path: path).records(run: "identity")
        #expect(records.allSatisfy { record in rekeyed.first { $0.id == record.problemID }?.expected == record.expected })

        // The regraded run now resumes without complaint and runs nothing.
        let again = arithmeticModel()
        _ = try await Self.session(again, path: path).run(rekeyed, settings: Self.setting)
        #expect(again.requests.isEmpty)
    }

    @Test("a model file of the same name with other weights is refused, even with --regrade")
    func otherWeightsSameNameAreRefused() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("runs.sqlite").path
        let cache = ModelDigestCache(file: directory.url.appendingPathComponent("digests.json"))
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("v1"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("v2"), withIntermediateDirectories: true)
        let first = try directory.write("v1/model.gguf", "GGUF weights of round one")
        let second = try directory.write("v2/model.gguf", "GGUF weights of round two")
        func info(_ file: String) throws -> EvalRunInfo {
            EvalRunInfo(id: "same-name", model: try ModelIdentity.file(at: file, cache: cache), prompt: "instruct@1",
                        dataset: "generated", seed: 5, samples: 3)
        }
        let problems = Array(try ResumeTests.problems().prefix(2))
        _ = try await Self.session(arithmeticModel(), path: path, info: try info(first)).run(problems, settings: Self.setting)
        #expect(try info(first).model.name == info(second).model.name)
        for policy in [EvalSession.AnswerKeyChange.refuse, .regrade] {
            let idle = arithmeticModel()
            do {
                _ = try await Self.session(idle, path: path, info: try info(second), answerKeyChange: policy).run(problems, settings: Self.setting)
                Issue.record("another model's weights were mixed into the run")
            } catch let error as EvalStoreError {
                guard case .runMismatch(_, let differences, let modelDiffers) = error else { Issue.record("wrong error \(error)"); return }
                #expect(modelDiffers && differences.count == 1 && differences[0].hasPrefix("model model.gguf (sha256:"))
                #expect(!error.description.contains("\n") && error.description.contains("another model"))
            }
            #expect(idle.requests.isEmpty)
        }
    }

    @Test("another prompt version, tool set or sandbox under the same run is refused")
    func otherPromptToolsOrSandboxAreRefused() async throws {
        let path = ResumeTests.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try EvalStore(path: path)
        let stored = EvalRunInfo(id: "r", model: .test("m.gguf"), prompt: "instruct@1", dataset: "d", seed: 1,
                                 tools: ["calculator"], sandbox: "bubblewrap (network, filesystem)")
        try await store.begin(stored)
        var renamed = stored
        renamed.model.name = "copy-of-m.gguf"
        #expect(try await store.begin(renamed), "the same bytes under another file name are the same model")
        var prompt = stored
        prompt.prompt = "instruct@2"
        var tools = stored
        tools.tools = ["calculator", "python"]
        var sandbox = stored
        sandbox.sandbox = "none (limits only)"
        for (changed, field) in [(prompt, "prompt"), (tools, "tools"), (sandbox, "sandbox")] {
            let error = await Self.refusal(store, changed)
            #expect(error?.description.contains("\n") == false, "a different \(field) was accepted")
            if case .runMismatch(_, let differences, let modelDiffers)? = error {
                #expect(!modelDiffers && differences.count == 1 && differences.first?.hasPrefix(field) == true, "\(differences)")
            } else {
                Issue.record("wrong error for \(field): \(String(describing: error))")
            }
        }
    }

    static func refusal(_ store: EvalStore, _ info: EvalRunInfo) async -> EvalStoreError? {
        do {
            try await store.begin(info)
            return nil
        } catch {
            return error
        }
    }

    @Test("a database from before model digests opens, reads, and refuses to resume its runs")
    func oldSchemaOpens() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("old.sqlite").path
        // The v1 schema as the previous version wrote it, with GRDB's migration record.
        let old = try DatabaseQueue(path: path)
        try await old.write { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1');
                CREATE TABLE run (id TEXT PRIMARY KEY, createdAt TEXT NOT NULL, model TEXT NOT NULL, dataset TEXT NOT NULL,
                  seed INTEGER NOT NULL, samples INTEGER, maxReasoningTokens INTEGER, tools TEXT NOT NULL, sandbox TEXT NOT NULL);
                CREATE TABLE result (runID TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, problemID TEXT NOT NULL,
                  strategy TEXT NOT NULL, effort TEXT NOT NULL, position INTEGER NOT NULL, model TEXT NOT NULL,
                  promptHash TEXT NOT NULL, seed INTEGER NOT NULL, extractedAnswer TEXT, expected TEXT NOT NULL,
                  correct BOOLEAN NOT NULL, anyChainCorrect BOOLEAN NOT NULL, samplesCorrect INTEGER NOT NULL,
                  samplesTotal INTEGER NOT NULL, reasoningTokens INTEGER NOT NULL, answerTokens INTEGER NOT NULL,
                  seconds DOUBLE NOT NULL, tools TEXT NOT NULL, trace TEXT, finishedAt TEXT NOT NULL,
                  PRIMARY KEY (runID, problemID, strategy, effort));
                INSERT INTO run VALUES ('old', '2026-11-01T00:00:00Z', 'SmolLM2.gguf', 'generated', 5, 3, NULL, '', '');
                INSERT INTO result VALUES ('old', 'p1', 'cot', 'low', 0, 'SmolLM2.gguf', 'h', 5, '42', '42', 1, 1, 1, 1,
                  10, 2, 0.5, '', NULL, '2026-11-01T00:00:01Z');
                """)
        }
        try old.close()
        let store = try EvalStore(path: path)
        let run = try await store.run(id: "old")
        #expect(run.model.name == "SmolLM2.gguf" && run.model.digest.isEmpty && run.prompt.isEmpty)
        #expect(try await store.records(run: "old").map(\.expected) == ["42"])
        let resume = EvalRunInfo(id: "old", model: .test("SmolLM2.gguf"), prompt: "instruct@1", dataset: "generated", seed: 5, samples: 3)
        await #expect(throws: EvalStoreError.runWithoutModelDigest(id: "old")) { try await store.begin(resume) }
        #expect(!EvalStoreError.runWithoutModelDigest(id: "old").description.contains("\n"))
        // A new run in the old file works as usual.
        var fresh = resume
        fresh.id = "new"
        #expect(try await store.begin(fresh) == false)
        #expect(try await store.runIDs() == ["old", "new"])
    }
}
