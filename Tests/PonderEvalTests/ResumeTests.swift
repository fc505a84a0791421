import Foundation
import PonderCore
import PonderReasoning
import PonderTesting
import Synchronization
import Testing
@testable import PonderEval

/// A scripted model that adds the numbers of "What is A + B?" and is wrong when the sum is a
/// multiple of 3, so totals are deterministic and not all correct.
func arithmeticModel() -> ScriptedModel {
    ScriptedModel { call in
        let numbers = (call.lastUserMessage ?? "").split { !$0.isNumber }.compactMap { Int($0) }
        let sum = numbers.reduce(0, +)
        return .init("Adding the numbers gives \(sum).\nAnswer: \(sum % 3 == 0 ? sum + 1 : sum)")
    }
}

/// Wraps a model and fails the first request whose question contains `trigger`: a run "killed" there.
final class KillingModel: LanguageModel {
    let base: any LanguageModel
    let trigger: String
    let fired = Mutex(false)
    var info: ModelInfo { base.info }

    init(base: any LanguageModel, trigger: String) {
        self.base = base
        self.trigger = trigger
    }

    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        let text: String
        switch request.prompt {
        case .chat(let messages), .continuation(let messages, _): text = messages.map(\.content).joined(separator: "\n")
        default: text = ""
        }
        let kill = text.contains(trigger) && fired.withLock { fired in
            defer { fired = true }
            return !fired
        }
        guard kill else { return base.generate(request) }
        return AsyncThrowingStream { $0.finish(throwing: PonderError.backend("killed for the test")) }
    }
}

/// Wraps a model and records how many generations were running at once, holding each open briefly.
final class OverlapModel: LanguageModel {
    let base: any LanguageModel
    let running = Mutex(0)
    let mostAtOnce = Mutex(0)
    var info: ModelInfo { base.info }

    init(base: any LanguageModel) { self.base = base }

    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, Error>.makeStream()
        let task = Task { [self] in
            let now = running.withLock { $0 += 1; return $0 }
            mostAtOnce.withLock { $0 = max($0, now) }
            defer { running.withLock { $0 -= 1 } }
            try? await Task.sleep(for: .milliseconds(20))
            do {
                for try await event in base.generate(request) { continuation.yield(event) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// The last value a progress callback saw.
final class Counter: Sendable {
    private let value = Mutex(0)
    func set(_ newValue: Int) { value.withLock { $0 = newValue } }
    func get() -> Int { value.withLock { $0 } }
}

@Suite("Store and resume")
struct ResumeTests {
    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ponder-eval-\(UUID().uuidString).sqlite").path
    }

    static let settings = [EvalSetting(strategy: .direct, effort: .low), EvalSetting(strategy: .cot, effort: .low),
                           EvalSetting(strategy: .selfConsistency, effort: .low)]

    static func problems() throws -> [EvalProblem] {
        let options = try ArithmeticOptions(digits: 2, operations: 1, operators: [.add])
        return try ArithmeticGenerator(seed: 11).generate(count: 6, options: options)
    }

    static func session(model: any LanguageModel, path: String) throws -> EvalSession {
        let runner = EvalRunner(reasoner: Reasoner(model: model), samples: 3, seed: 5)
        let info = EvalRunInfo(id: "resume-test", model: .test("scripted"), prompt: runner.reasoner.prompt.label,
                               dataset: "generated", seed: 5, samples: 3)
        return EvalSession(runner: runner, store: try EvalStore(path: path), info: info)
    }

    @Test("a run killed after k questions, restarted, runs only the rest and ends with the same totals")
    func killedRunResumes() async throws {
        let problems = try Self.problems()
        let fullPath = Self.temporaryDatabase(), resumedPath = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: fullPath); try? FileManager.default.removeItem(atPath: resumedPath) }

        let uninterrupted = try await Self.session(model: arithmeticModel(), path: fullPath).run(problems, settings: Self.settings)
        #expect(uninterrupted.map(\.count) == [6, 6, 6])
        #expect(uninterrupted.contains { $0.correct > 0 && $0.correct < 6 })

        // Killed while answering the fourth question: three results are stored.
        let killer = KillingModel(base: arithmeticModel(), trigger: problems[3].question)
        let killedSession = try Self.session(model: killer, path: resumedPath)
        await #expect(throws: (any Error).self) {
            _ = try await killedSession.run(problems, settings: Self.settings)
        }
        let stored = try await killedSession.store.records(run: "resume-test")
        #expect(stored.count == 3, "the killed run kept what finished before it died")

        // Restart with a fresh model: only the 15 missing questions run.
        let counter = arithmeticModel()
        let ranHere = Counter(), resumed = Counter()
        let final = try await Self.session(model: counter, path: resumedPath).run(problems, settings: Self.settings) { state in
            ranHere.set(state.ranHere)
            resumed.set(state.resumed)
        }
        #expect(ranHere.get() == 15)
        #expect(resumed.get() == 3)
        for (a, b) in zip(uninterrupted, final) {
            #expect(a.setting == b.setting)
            #expect(a.count == b.count && a.correct == b.correct)
            #expect(a.meanReasoningTokens == b.meanReasoningTokens && a.meanAnswerTokens == b.meanAnswerTokens)
            #expect(a.passAt1 == b.passAt1 && a.anyChainAccuracy == b.anyChainAccuracy)
        }

        // A third start runs nothing.
        let idle = arithmeticModel()
        _ = try await Self.session(model: idle, path: resumedPath).run(problems, settings: Self.settings)
        #expect(idle.requests.isEmpty)
    }

    @Test("answering several questions at once gives the same totals as one at a time, and they really overlap")
    func concurrentQuestions() async throws {
        let problems = try Self.problems()
        let serialPath = Self.temporaryDatabase(), parallelPath = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: serialPath); try? FileManager.default.removeItem(atPath: parallelPath) }
        let serial = try await Self.session(model: arithmeticModel(), path: serialPath).run(problems, settings: Self.settings)
        let overlapping = OverlapModel(base: arithmeticModel())
        let base = try Self.session(model: overlapping, path: parallelPath)
        let session = EvalSession(runner: base.runner, store: base.store, info: base.info, concurrency: 4)
        let finished = Counter()
        let parallel = try await session.run(problems, settings: Self.settings) { finished.set($0.done) }
        #expect(finished.get() == 18)
        #expect(overlapping.mostAtOnce.withLock { $0 } > 1)
        for (a, b) in zip(serial, parallel) {
            #expect(a.setting == b.setting && a.count == b.count && a.correct == b.correct)
        }
        let positions = try await session.store.records(run: "resume-test").map(\.problemID)
        #expect(Set(positions).count == 6)
    }

    @Test("each stored row has the fields the issue lists")
    func storedFields() async throws {
        let path = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let problems = Array(try Self.problems().prefix(2))
        let session = try Self.session(model: arithmeticModel(), path: path)
        _ = try await session.run(problems, settings: [EvalSetting(strategy: .cot, effort: .low)])
        let records = try await session.store.records(run: "resume-test")
        #expect(records.count == 2)
        let record = try #require(records.first)
        #expect(record.promptHash == PromptHash.of(problems[0].question))
        #expect(record.seed == 5)
        #expect(record.reasoningTokens > 0 && record.answerTokens > 0)
        let trace = try JSONDecoder().decode(ReasoningTrace.self, from: Data(try #require(record.traceJSON).utf8))
        #expect(trace.strategy == .cot)
        #expect(try await session.store.runIDs() == ["resume-test"])
    }

    @Test("resuming under the same name with other settings is refused")
    func mismatch() async throws {
        let path = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try EvalStore(path: path)
        try await store.begin(EvalRunInfo(id: "r", model: .test("a.gguf"), prompt: "instruct@1", dataset: "d", seed: 1))
        #expect(try await store.begin(EvalRunInfo(id: "r", model: .test("a.gguf"), prompt: "instruct@1", dataset: "d", seed: 1)))
        await #expect(throws: EvalStoreError.self) {
            try await store.begin(EvalRunInfo(id: "r", model: .test("a.gguf"), prompt: "instruct@1", dataset: "d", seed: 2))
        }
        await #expect(throws: EvalStoreError.unknownRun(id: "nope", known: ["r"])) { _ = try await store.run(id: "nope") }
    }

    @Test("a database path that cannot be opened is a one-line error")
    func badPath() {
        #expect(throws: EvalStoreError.self) { _ = try EvalStore(path: "/nonexistent-dir/x/runs.sqlite") }
    }

    @Test("default run names are stable and differ when settings differ")
    func runNames() {
        let a = EvalRunInfo(model: .test("SmolLM2.gguf"), prompt: "instruct@1", dataset: "generated arithmetic", seed: 1)
        let b = EvalRunInfo(model: .test("SmolLM2.gguf"), prompt: "instruct@1", dataset: "generated arithmetic", seed: 1)
        let c = EvalRunInfo(model: .test("SmolLM2.gguf"), prompt: "instruct@1", dataset: "generated arithmetic", seed: 1, samples: 8)
        let otherWeights = EvalRunInfo(model: .test("SmolLM2.gguf", "bb"), prompt: "instruct@1", dataset: "generated arithmetic", seed: 1)
        let otherPrompt = EvalRunInfo(model: .test("SmolLM2.gguf"), prompt: "instruct@2", dataset: "generated arithmetic", seed: 1)
        #expect(a.id == b.id)
        #expect(a.id != c.id)
        #expect(a.id != otherWeights.id && a.id != otherPrompt.id)
        #expect(!a.id.contains(" "))
    }
}
