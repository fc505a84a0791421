import Foundation

/// One evaluation run over problems and settings, stored question by question in an
/// ``EvalStore``: starting it again with the same ``EvalRunInfo`` runs only what is missing.
///
/// ```swift
/// let session = EvalSession(runner: runner, store: store, info: info)
/// let summaries = try await session.run(problems, settings: settings) { print($0.line) }
/// ```
public struct EvalSession: Sendable {
    /// Answers and grades one question.
    public let runner: EvalRunner
    /// Where results go.
    public let store: EvalStore
    /// What identifies the run.
    public let info: EvalRunInfo
    /// Questions of one setting answered at once (the engine decodes them in one batch).
    public let concurrency: Int

    /// Creates a session; `concurrency` is clamped to 1...64.
    public init(runner: EvalRunner, store: EvalStore, info: EvalRunInfo, concurrency: Int = 1) {
        self.runner = runner
        self.store = store
        self.info = info
        self.concurrency = min(max(concurrency, 1), 64)
    }

    /// Runs every (setting, problem) not yet in the store, saving each as it finishes, then
    /// summarises the run from the store (so resumed results count). `progress` is called after
    /// every question, skipped ones included.
    public func run(
        _ problems: [EvalProblem],
        settings: [EvalSetting],
        progress: @Sendable (EvalProgress) -> Void = { _ in }
    ) async throws -> [EvalSummary] {
        try await store.begin(info)
        let finished = try await store.finishedKeys(run: info.id)
        let clock = ContinuousClock()
        let start = clock.now
        var state = EvalProgress(done: 0, total: problems.count * settings.count, resumed: 0,
                                 setting: settings.first ?? EvalSetting(strategy: .direct, effort: .none),
                                 correctInSetting: 0, gradedInSetting: 0, elapsedSeconds: 0, ranHere: 0)
        state.workTotal = settings.reduce(0) { sum, setting in
            sum + problems.reduce(0) { $0 + runner.plannedTokens(for: $1, setting: setting) }
        }
        let stored = Dictionary(grouping: try await store.records(run: info.id), by: { RecordKey($0) })
        for setting in settings {
            state.setting = setting
            state.correctInSetting = 0
            state.gradedInSetting = 0
            var pending: [Int] = []
            for (index, problem) in problems.enumerated() {
                let hash = PromptHash.of(EvalRunner.question(for: problem))
                if finished.contains(EvalStore.Key(problemID: problem.id, setting: setting, promptHash: hash)),
                   let previous = stored[RecordKey(problemID: problem.id, setting: setting)]?.first {
                    state.resumed += 1
                    state.workDone += runner.plannedTokens(for: problem, setting: setting)
                    state.record(correct: previous.correct, elapsed: clock.now - start)
                    progress(state)
                } else {
                    pending.append(index)
                }
            }
            // Up to `concurrency` questions in flight; each is saved as soon as it finishes.
            try await withThrowingTaskGroup(of: (Int, EvalRecord).self) { group in
                var queue = pending.makeIterator()
                func startNext() {
                    guard let index = queue.next() else { return }
                    group.addTask { [runner] in (index, try await runner.run(problems[index], index: index, setting: setting)) }
                }
                for _ in 0..<concurrency { startNext() }
                while let (index, record) = try await group.next() {
                    try await store.save(record, run: info, position: index)
                    state.ranHere += 1
                    let work = runner.plannedTokens(for: problems[index], setting: setting)
                    state.workDone += work
                    state.workRanHere += work
                    state.record(correct: record.correct, elapsed: clock.now - start)
                    progress(state)
                    try Task.checkCancellation()
                    startNext()
                }
            }
        }
        return try await summaries(problems: problems, settings: settings)
    }

    /// Summaries per setting of the stored results for these problems.
    public func summaries(problems: [EvalProblem], settings: [EvalSetting]) async throws -> [EvalSummary] {
        let ids = Set(problems.map(\.id))
        let records = try await store.records(run: info.id).filter { ids.contains($0.problemID) }
        let bySetting = Dictionary(grouping: records, by: \.setting)
        return settings.map { EvalSummary(setting: $0, records: bySetting[$0] ?? []) }
    }
}

extension EvalProgress {
    /// Counts one more finished question of the current setting.
    mutating func record(correct: Bool, elapsed: Duration) {
        done += 1
        gradedInSetting += 1
        if correct { correctInSetting += 1 }
        elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// A stored result's identity without the prompt hash.
private struct RecordKey: Hashable {
    var problemID: String
    var setting: EvalSetting

    init(problemID: String, setting: EvalSetting) {
        self.problemID = problemID
        self.setting = setting
    }

    init(_ record: EvalRecord) {
        self.init(problemID: record.problemID, setting: record.setting)
    }
}
