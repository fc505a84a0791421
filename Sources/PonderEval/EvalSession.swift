import Foundation

/// One evaluation run over problems and settings, stored question by question in an
/// ``EvalStore``: starting it again with the same ``EvalRunInfo`` runs only what is missing, and
/// several processes started on the same run share the work (each question is claimed before it
/// is answered; see ``ClaimPolicy``).
///
/// ```swift
/// let session = EvalSession(runner: runner, store: store, info: info)
/// let summaries = try await session.run(problems, settings: settings) { print($0.line) }
/// ```
public struct EvalSession: Sendable {
    /// What to do when stored results were graded against expected answers that changed since.
    public enum AnswerKeyChange: Sendable, Hashable {
        /// Stop with `EvalStoreError.answerKeyChanged` (the default).
        case refuse
        /// Grade the stored answers again against the new expected answers, without running the
        /// model (`EvalRunner.regrade`). Only the answer key may differ: the run's model, prompt,
        /// tools, sandbox and settings must still match, as always.
        case regrade
    }

    /// Answers and grades one question.
    public let runner: EvalRunner
    /// Where results go.
    public let store: EvalStore
    /// What identifies the run.
    public let info: EvalRunInfo
    /// Questions of one setting answered at once (the engine decodes them in one batch).
    public let concurrency: Int
    /// What a changed expected answer does.
    public let answerKeyChange: AnswerKeyChange
    /// How questions are claimed when processes share the run.
    public let claims: ClaimPolicy

    /// Creates a session; `concurrency` is clamped to 1...64.
    public init(runner: EvalRunner, store: EvalStore, info: EvalRunInfo, concurrency: Int = 1,
                answerKeyChange: AnswerKeyChange = .refuse, claims: ClaimPolicy = .standard) {
        self.runner = runner
        self.store = store
        self.info = info
        self.concurrency = min(max(concurrency, 1), 64)
        self.answerKeyChange = answerKeyChange
        self.claims = claims
    }

    /// One question of the run: a problem (by index) under a setting.
    private struct Item: Sendable {
        var index: Int
        var setting: EvalSetting
    }

    /// Runs every (setting, problem) not yet in the store, saving each as it finishes, then
    /// summarises the run from the store (so resumed results count). Each question is claimed
    /// first; one held by another live process is left to it and checked again until it is
    /// finished there or its owner dies (then it is taken over), so every session returns the
    /// whole run. `progress` is called after every question, skipped ones included.
    /// - Throws: `EvalStoreError` when the stored run does not match `info`, or its answer key
    ///   changed and `answerKeyChange` is `.refuse`; the model's and the grader's errors.
    public func run(
        _ problems: [EvalProblem],
        settings: [EvalSetting],
        progress: @Sendable (EvalProgress) -> Void = { _ in }
    ) async throws -> [EvalSummary] {
        try await store.begin(info)
        try await reconcileAnswerKey(problems, settings: settings)
        let owner = ClaimOwner.current()
        let store = self.store, beat = claims.heartbeat
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: beat)
                // A missed beat only risks a takeover of a question by another process, never mixed results.
                try? await store.heartbeat(owner)
            }
        }
        do {
            try await work(problems, settings: settings, owner: owner, progress: progress)
            heartbeat.cancel()
            try await store.release(owner)
        } catch {
            heartbeat.cancel()
            try? await store.release(owner)
            throw error
        }
        return try await summaries(problems: problems, settings: settings)
    }

    private func work(_ problems: [EvalProblem], settings: [EvalSetting], owner: ClaimOwner,
                      progress: @Sendable (EvalProgress) -> Void) async throws {
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
        var held: [Item] = []
        for setting in settings {
            state.setting = setting
            state.correctInSetting = 0
            state.gradedInSetting = 0
            var pending: [Item] = []
            for (index, problem) in problems.enumerated() {
                let hash = PromptHash.of(EvalRunner.question(for: problem))
                if finished.contains(EvalStore.Key(problemID: problem.id, setting: setting, promptHash: hash)),
                   let previous = stored[RecordKey(problemID: problem.id, setting: setting)]?.first {
                    state.resumed += 1
                    state.workDone += runner.plannedTokens(for: problem, setting: setting)
                    state.record(correct: previous.correct, elapsed: clock.now - start)
                    progress(state)
                } else {
                    pending.append(Item(index: index, setting: setting))
                }
            }
            held += try await answer(pending, problems: problems, owner: owner, state: &state, since: start, progress: progress)
        }
        // What other live processes hold: wait for them to finish it, or take it over if they die.
        while !held.isEmpty {
            try await Task.sleep(for: claims.poll)
            held = try await answer(held, problems: problems, owner: owner, state: &state, since: start, progress: progress)
        }
    }

    /// Claims and answers `items`, up to `concurrency` at once, saving each as it finishes;
    /// returns the items another live session holds.
    private func answer(_ items: [Item], problems: [EvalProblem], owner: ClaimOwner, state: inout EvalProgress,
                        since start: ContinuousClock.Instant, progress: @Sendable (EvalProgress) -> Void) async throws -> [Item] {
        let clock = ContinuousClock()
        var held: [Item] = []
        try await withThrowingTaskGroup(of: (Item, EvalRecord).self) { group in
            var queue = items.makeIterator()
            // Claims items until one is ours to run (started in the group) or none is left.
            func startNext() async throws {
                while let item = queue.next() {
                    let problem = problems[item.index]
                    let outcome = try await store.claim(run: info.id, problemID: problem.id, setting: item.setting,
                                                        promptHash: PromptHash.of(EvalRunner.question(for: problem)),
                                                        owner: owner, staleAfter: claims.staleAfter)
                    switch outcome {
                    case .claimed:
                        group.addTask { [runner] in (item, try await runner.run(problem, index: item.index, setting: item.setting)) }
                        return
                    case .finished(let correct):
                        state.setting = item.setting
                        state.resumed += 1
                        state.workDone += runner.plannedTokens(for: problem, setting: item.setting)
                        state.record(correct: correct, elapsed: clock.now - start)
                        progress(state)
                    case .heldBy:
                        held.append(item)
                    }
                }
            }
            for _ in 0..<concurrency { try await startNext() }
            while let (item, record) = try await group.next() {
                try await store.save(record, run: info, position: item.index, owner: owner)
                state.setting = item.setting
                state.ranHere += 1
                let work = runner.plannedTokens(for: problems[item.index], setting: item.setting)
                state.workDone += work
                state.workRanHere += work
                state.record(correct: record.correct, elapsed: clock.now - start)
                progress(state)
                try Task.checkCancellation()
                try await startNext()
            }
        }
        return held
    }

    /// Compares the stored results' expected answers with the problems' and refuses or regrades
    /// those that changed (results of an edited question, by prompt hash, are simply run again).
    private func reconcileAnswerKey(_ problems: [EvalProblem], settings: [EvalSetting]) async throws {
        let byID = Dictionary(problems.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let wanted = Set(settings)
        let changed = try await store.records(run: info.id).filter { record in
            guard wanted.contains(record.setting), let problem = byID[record.problemID] else { return false }
            return record.promptHash == PromptHash.of(EvalRunner.question(for: problem)) && record.expected != problem.expected
        }
        guard let first = changed.first, let problem = byID[first.problemID] else { return }
        guard answerKeyChange == .regrade else {
            throw EvalStoreError.answerKeyChanged(id: info.id, count: changed.count, problemID: first.problemID,
                                                  stored: first.expected, now: problem.expected)
        }
        var regraded: [EvalRecord] = []
        for record in changed {
            guard let problem = byID[record.problemID] else { continue }
            regraded.append(try runner.regrade(record, against: problem, run: info.id))
        }
        try await store.updateGrades(regraded, run: info.id)
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
