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

    /// Creates a session.
    public init(runner: EvalRunner, store: EvalStore, info: EvalRunInfo) {
        self.runner = runner
        self.store = store
        self.info = info
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
        let stored = Dictionary(grouping: try await store.records(run: info.id), by: { RecordKey($0) })
        for setting in settings {
            state.setting = setting
            state.correctInSetting = 0
            state.gradedInSetting = 0
            for (index, problem) in problems.enumerated() {
                try Task.checkCancellation()
                let hash = PromptHash.of(EvalRunner.question(for: problem))
                let correct: Bool
                if finished.contains(EvalStore.Key(problemID: problem.id, setting: setting, promptHash: hash)),
                   let previous = stored[RecordKey(problemID: problem.id, setting: setting)]?.first {
                    correct = previous.correct
                    state.resumed += 1
                } else {
                    let record = try await runner.run(problem, index: index, setting: setting)
                    try await store.save(record, run: info, position: index)
                    correct = record.correct
                    state.ranHere += 1
                }
                state.done += 1
                state.gradedInSetting += 1
                if correct { state.correctInSetting += 1 }
                let elapsed = clock.now - start
                state.elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                progress(state)
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
