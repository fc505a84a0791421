import Foundation
import GRDB
import PonderCore
import PonderReasoning

/// The SQLite results database (GRDB): one row per run, one row per (run, problem, setting),
/// written as each question finishes, so a killed run resumes without redoing finished work; and
/// one claim row per question being answered, so processes sharing a run split the work
/// (`EvalStore+Claims.swift`).
///
/// ```swift
/// let store = try EvalStore(path: "runs.sqlite")
/// try await store.begin(info)                            // creates the run, or checks it matches
/// let done = try await store.finishedKeys(run: info.id) // what a resumed run skips
/// try await store.save(record, run: info, position: 3)
/// ```
///
/// Schema history: `v1` (runs and results), `v2` (the model's content digest and the prompt label
/// per run, and the claim table), `v3` (the run's confidence settings), `v4` (a nullable `template`
/// per result: the generator template the problem came from). A database written by an older
/// version opens and is migrated; its runs keep an empty digest, can be reported and compared, and
/// are refused for resuming; its results have no template.
public struct EvalStore: Sendable {
    /// Where the database lives.
    public let path: String
    let queue: DatabaseQueue

    /// A finished (problem, setting) pair and the prompt hash it ran with.
    public struct Key: Sendable, Hashable {
        /// Problem id.
        public var problemID: String
        /// The setting.
        public var setting: EvalSetting
        /// The hash of the question text.
        public var promptHash: String
    }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws(EvalStoreError) {
        self.path = path
        do {
            // Several processes may share one file (one eval per core, a report while a run goes on):
            // wait for another writer's lock instead of failing at once.
            var configuration = Configuration()
            configuration.busyMode = .timeout(60)
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "run") { table in
                table.primaryKey("id", .text)
                table.column("createdAt", .text).notNull()
                table.column("model", .text).notNull()
                table.column("dataset", .text).notNull()
                table.column("seed", .integer).notNull()
                table.column("samples", .integer)
                table.column("maxReasoningTokens", .integer)
                table.column("tools", .text).notNull()
                table.column("sandbox", .text).notNull()
            }
            try db.create(table: "result") { table in
                table.column("runID", .text).notNull().references("run", onDelete: .cascade)
                table.column("problemID", .text).notNull()
                table.column("strategy", .text).notNull()
                table.column("effort", .text).notNull()
                table.column("position", .integer).notNull()
                table.column("model", .text).notNull()
                table.column("promptHash", .text).notNull()
                table.column("seed", .integer).notNull()
                table.column("extractedAnswer", .text)
                table.column("expected", .text).notNull()
                table.column("correct", .boolean).notNull()
                table.column("anyChainCorrect", .boolean).notNull()
                table.column("samplesCorrect", .integer).notNull()
                table.column("samplesTotal", .integer).notNull()
                table.column("reasoningTokens", .integer).notNull()
                table.column("answerTokens", .integer).notNull()
                table.column("seconds", .double).notNull()
                table.column("tools", .text).notNull()
                table.column("trace", .text)
                table.column("finishedAt", .text).notNull()
                table.primaryKey(["runID", "problemID", "strategy", "effort"])
            }
        }
        migrator.registerMigration("v2") { db in
            try db.alter(table: "run") { table in
                table.add(column: "modelDigest", .text).notNull().defaults(to: "")
                table.add(column: "prompt", .text).notNull().defaults(to: "")
            }
            try db.create(table: "claim") { table in
                table.column("runID", .text).notNull().references("run", onDelete: .cascade)
                table.column("problemID", .text).notNull()
                table.column("strategy", .text).notNull()
                table.column("effort", .text).notNull()
                table.column("session", .text).notNull()
                table.column("pid", .integer).notNull()
                table.column("host", .text).notNull()
                table.column("heartbeat", .double).notNull()
                table.primaryKey(["runID", "problemID", "strategy", "effort"])
            }
        }
        migrator.registerMigration("v3") { db in
            try db.alter(table: "run") { table in table.add(column: "confidence", .text).notNull().defaults(to: "") }
        }
        migrator.registerMigration("v4") { db in
            try db.alter(table: "result") { table in table.add(column: "template", .text) }
        }
        return migrator
    }

    /// Starts a run, or resumes it: a stored run of the same id must match `info` in every field
    /// `EvalRunInfo.differences(from:)` compares (the model by content, prompt, problems, seed,
    /// samples, budget, tools, sandbox), otherwise `.runMismatch`; a run stored without the model's
    /// digest (an older version) is `.runWithoutModelDigest`. Returns whether it already existed.
    @discardableResult
    public func begin(_ info: EvalRunInfo) async throws(EvalStoreError) -> Bool {
        let created = ISO8601DateFormatter().string(from: Date())
        return try await access {
            try queue.write { db in
                if let stored = try Self.fetchRun(db, id: info.id) {
                    guard !stored.model.digest.isEmpty else { throw EvalStoreError.runWithoutModelDigest(id: info.id) }
                    let differences = stored.differences(from: info)
                    guard differences.isEmpty else {
                        throw EvalStoreError.runMismatch(id: info.id, differences: differences,
                                                         modelDiffers: stored.model.digest != info.model.digest)
                    }
                    return true
                }
                try db.execute(sql: """
                    INSERT INTO run (id, createdAt, model, modelDigest, prompt, dataset, seed, samples, maxReasoningTokens, tools, sandbox, confidence)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [info.id, created, info.model.name, info.model.digest, info.prompt, info.dataset, Int(info.seed),
                                     info.samples, info.maxReasoningTokens, info.tools.joined(separator: ","), info.sandbox, info.confidence])
                return false
            }
        }
    }

    /// The stored run of this id.
    public func run(id: String) async throws(EvalStoreError) -> EvalRunInfo {
        let found = try await access { try queue.read { db in try Self.fetchRun(db, id: id) } }
        guard let found else { throw .unknownRun(id: id, known: try await runIDs()) }
        return found
    }

    /// Every run id, oldest first.
    public func runIDs() async throws(EvalStoreError) -> [String] {
        try await access { try queue.read { db in try String.fetchAll(db, sql: "SELECT id FROM run ORDER BY createdAt, id") } }
    }

    /// Saves one finished question (replacing an earlier result for the same key) and, in the same
    /// transaction, drops `owner`'s claim on it.
    public func save(_ record: EvalRecord, run: EvalRunInfo, position: Int, owner: ClaimOwner? = nil) async throws(EvalStoreError) {
        let finished = ISO8601DateFormatter().string(from: Date())
        let arguments: StatementArguments = [
            run.id, record.problemID, record.setting.strategy.rawValue, record.setting.effort.rawValue, position, run.model.name,
            record.promptHash, Int(record.seed), record.extractedAnswer, record.expected, record.correct,
            record.anyChainCorrect, record.samplesCorrect, record.samplesTotal, record.reasoningTokens, record.answerTokens,
            record.seconds, run.tools.joined(separator: ","), record.traceJSON, finished, record.template,
        ]
        try await access {
            try queue.write { db in
                try db.execute(sql: """
                    INSERT OR REPLACE INTO result (runID, problemID, strategy, effort, position, model, promptHash, seed,
                      extractedAnswer, expected, correct, anyChainCorrect, samplesCorrect, samplesTotal, reasoningTokens,
                      answerTokens, seconds, tools, trace, finishedAt, template)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: arguments)
                if let owner {
                    try db.execute(sql: "DELETE FROM claim WHERE runID = ? AND problemID = ? AND strategy = ? AND effort = ? AND session = ?",
                                   arguments: [run.id, record.problemID, record.setting.strategy.rawValue,
                                               record.setting.effort.rawValue, owner.session])
                }
            }
        }
    }

    /// Rewrites the grading of stored results (expected answer, correctness, chains correct) after
    /// a regrade, keeping everything the model produced.
    public func updateGrades(_ records: [EvalRecord], run id: String) async throws(EvalStoreError) {
        try await access {
            try queue.write { db in
                for record in records {
                    try db.execute(sql: """
                        UPDATE result SET expected = ?, correct = ?, anyChainCorrect = ?, samplesCorrect = ?, samplesTotal = ?
                        WHERE runID = ? AND problemID = ? AND strategy = ? AND effort = ?
                        """, arguments: [record.expected, record.correct, record.anyChainCorrect, record.samplesCorrect,
                                         record.samplesTotal, id, record.problemID, record.setting.strategy.rawValue,
                                         record.setting.effort.rawValue])
                }
            }
        }
    }

    /// The (problem, setting, prompt hash) triples already finished in a run.
    public func finishedKeys(run id: String) async throws(EvalStoreError) -> Set<Key> {
        try await access {
            try queue.read { db in
                let rows = try Row.fetchAll(db, sql: "SELECT problemID, strategy, effort, promptHash FROM result WHERE runID = ?",
                                            arguments: [id])
                return Set(rows.compactMap { row -> Key? in
                    guard let strategy = StrategyKind(rawValue: row["strategy"]), let effort = Effort(rawValue: row["effort"]) else {
                        return nil
                    }
                    return Key(problemID: row["problemID"], setting: EvalSetting(strategy: strategy, effort: effort),
                               promptHash: row["promptHash"])
                })
            }
        }
    }

    /// Every stored result of a run, in problem order within each setting.
    public func records(run id: String) async throws(EvalStoreError) -> [EvalRecord] {
        try await access {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM result WHERE runID = ? ORDER BY strategy, effort, position", arguments: [id])
                    .compactMap(Self.record)
            }
        }
    }

    static func record(_ row: Row) -> EvalRecord? {
        guard let strategy = StrategyKind(rawValue: row["strategy"]), let effort = Effort(rawValue: row["effort"]) else { return nil }
        let seed: Int = row["seed"]
        return EvalRecord(
            problemID: row["problemID"], setting: EvalSetting(strategy: strategy, effort: effort), promptHash: row["promptHash"],
            seed: UInt32(truncatingIfNeeded: seed), extractedAnswer: row["extractedAnswer"], expected: row["expected"],
            correct: row["correct"], anyChainCorrect: row["anyChainCorrect"], samplesCorrect: row["samplesCorrect"],
            samplesTotal: row["samplesTotal"], reasoningTokens: row["reasoningTokens"], answerTokens: row["answerTokens"],
            seconds: row["seconds"], traceJSON: row["trace"], template: row["template"])
    }

    private static func fetchRun(_ db: Database, id: String) throws -> EvalRunInfo? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]) else { return nil }
        let tools: String = row["tools"]
        let seed: Int = row["seed"]
        return EvalRunInfo(id: row["id"], model: ModelIdentity(name: row["model"], digest: row["modelDigest"]), prompt: row["prompt"],
                           dataset: row["dataset"], seed: UInt32(truncatingIfNeeded: seed),
                           samples: row["samples"], maxReasoningTokens: row["maxReasoningTokens"],
                           tools: tools.isEmpty ? [] : tools.split(separator: ",").map(String.init), sandbox: row["sandbox"],
                           confidence: row["confidence"])
    }

    /// Runs a database access off the cooperative pool and maps its errors.
    func access<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws(EvalStoreError) -> T {
        let result: Result<T, EvalStoreError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: .success(try body()))
                } catch let error as EvalStoreError {
                    continuation.resume(returning: .failure(error))
                } catch {
                    continuation.resume(returning: .failure(.database("\(error)")))
                }
            }
        }
        return try result.get()
    }
}
