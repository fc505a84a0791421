import Foundation
import PonderCore
import PonderEval
import PonderLlama
import PonderReasoning
import Synchronization
import Testing
@testable import PonderTools

/// Tools with the real embedded model and the real engine.
@Suite(.serialized) struct ToolsOnRealModelTests {
    static let engine: LlamaEngine = {
        do {
            return try LlamaEngine(configuration: LlamaEngineConfiguration(modelPath: DefaultModel.path, contextLength: 1024, maxSequences: 8, threads: 1))
        } catch {
            fatalError("the integration tests need the default model; run scripts/bootstrap first (\(error))")
        }
    }()

    /// Forces a slow tool's text in after the third sampled token.
    final class SlowToolSteerer: SequenceSteerer, @unchecked Sendable {
        let delay: Duration
        let landed = Mutex<String?>(nil)
        init(delay: Duration) { self.delay = delay }
        func observe(text: String, sampledTokens: Int) -> SteeringDecision {
            guard sampledTokens == 3 else { return .proceed }
            let delay = self.delay
            return .injectWhenReady(PendingInjection {
                try? await Task.sleep(for: delay)
                return " [slow tool says 42]"
            })
        }
        func didInject(_ text: String) { landed.withLock { $0 = text } }
    }

    final class PassiveSteerer: SequenceSteerer, @unchecked Sendable {
        func observe(text: String, sampledTokens: Int) -> SteeringDecision { .proceed }
    }

    @Test func aSlowToolPausesOnlyItsOwnSequence() async throws {
        let slow = SlowToolSteerer(delay: .milliseconds(1500))
        var request = try GenerationRequest(prompt: .text("Once upon a time"), sampling: SamplingParameters(temperature: 0, maxTokens: 24), count: 2)
        request.steering = SteeringFactory { index in index == 0 ? slow as any SequenceSteerer : PassiveSteerer() }
        let clock = ContinuousClock()
        let start = clock.now
        var sampledBeforeInjection = 0
        var injectedAt: Duration?
        var otherFinishedAt: Duration?
        var injectedText = ""
        var finishes: [Int: SequenceFinish] = [:]
        for try await event in Self.engine.generate(request) {
            switch event {
            case .text(let delta) where delta.sequence == 0:
                if delta.isInjected {
                    injectedAt = clock.now - start
                    injectedText = delta.text
                } else if injectedAt == nil {
                    sampledBeforeInjection += delta.tokens.count
                }
            case .finished(let finish):
                finishes[finish.sequence] = finish
                if finish.sequence == 1 { otherFinishedAt = clock.now - start }
            default: break
            }
        }
        #expect(injectedText == " [slow tool says 42]")
        #expect(sampledBeforeInjection == 3)
        #expect(slow.landed.withLock { $0 } == " [slow tool says 42]")
        let injected = try #require(injectedAt), other = try #require(otherFinishedAt)
        #expect(other < injected, "the other sequence finished at \(other), the tool landed at \(injected)")
        #expect(finishes[0]?.usage.completionTokens == 24 && finishes[1]?.usage.completionTokens == 24)
        #expect((finishes[0]?.usage.injectedTokens ?? 0) > 0)
    }

    @Test func cancellingWhileATooWaitsFreesTheSequence() async throws {
        let slow = SlowToolSteerer(delay: .seconds(30))
        var request = try GenerationRequest(prompt: .text("Once upon a time"), sampling: SamplingParameters(temperature: 0, maxTokens: 24))
        request.steering = SteeringFactory { _ in slow }
        let task = Task {
            for try await _ in Self.engine.generate(request) {}
        }
        try await Task.sleep(for: .milliseconds(500))
        task.cancel()
        _ = await task.result
        var status = Self.engine.status
        for _ in 0..<20 where status.occupiedSlots > 0 || status.activeSequences > 0 {
            try await Task.sleep(for: .milliseconds(100))
            status = Self.engine.status
        }
        #expect(status.occupiedSlots == 0 && status.activeSequences == 0)
    }

    /// The bar: on 30 generated two-digit additions the calculator beats plain chain of
    /// thought by at least 30 points (greedy, same budget).
    @Test func calculatorBeatsChainOfThoughtOnTwoDigitAddition() async throws {
        let problems = try ArithmeticGenerator(seed: 2026).generate(count: 30, options: ArithmeticOptions(digits: 2, operations: 1, operators: [.add]))
        let equivalence = try AnswerEquivalence()
        let reasoner = Reasoner(model: Self.engine)
        func accuracy(_ configuration: ReasoningConfiguration) async throws -> Int {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for problem in problems {
                    group.addTask {
                        let trace = try await reasoner.answer(problem.question, configuration: configuration)
                        return equivalence.equivalent(trace.extractedAnswer ?? trace.answer, problem.expected, kind: .number, question: problem.question)
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
        }
        let cot = try await accuracy(ReasoningConfiguration(effort: .low, strategy: .cot, maxReasoningTokens: 96))
        let tools = try await accuracy(ReasoningConfiguration(effort: .low, strategy: .tools, maxReasoningTokens: 96,
                                                              tools: ToolUse(tools: [CalculatorTool()])))
        print("two-digit addition, 30 questions: cot \(cot)/30, tools \(tools)/30")
        #expect(tools - cot >= 9, "cot \(cot)/30, tools \(tools)/30")
    }
}
