import Foundation
import PonderCore
import PonderEval
@testable import PonderLlama
import PonderReasoning
import PonderTesting
import Synchronization
import Testing
@testable import PonderTools

/// Tools with the real embedded model and the real engine.
@Suite(.serialized) struct ToolsOnRealModelTests {
    static let engine: LlamaEngine = {
        do {
            return try LlamaEngine(configuration: LlamaEngineConfiguration(modelPath: DefaultModel.path, contextLength: 1024, maxSequences: 8,
                                                                           threads: RealModelTestSettings.threads(preferring: 1),
                                                                           unifiedCache: RealModelTestSettings.unifiedCache))
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
        var sampledBeforeInjection = 0
        var parked = false
        var injectedText = ""
        var otherWhileParked = 0
        var finishes: [Int: SequenceFinish] = [:]
        // The end-of-generation token is ignored, so both sequences run to their 24 tokens whatever the model writes.
        for try await event in Self.engine.generate(request, ignoreEndOfGeneration: true).stream {
            switch event {
            case .text(let delta) where delta.sequence == 0:
                if delta.isInjected {
                    parked = false
                    injectedText = delta.text
                } else if injectedText.isEmpty {
                    sampledBeforeInjection += delta.tokens.count
                    parked = sampledBeforeInjection == 3
                }
            case .text(let delta):
                if parked { otherWhileParked += delta.tokens.count }
            case .finished(let finish):
                finishes[finish.sequence] = finish
            }
        }
        #expect(injectedText == " [slow tool says 42]")
        #expect(sampledBeforeInjection == 3)
        #expect(slow.landed.withLock { $0 } == " [slow tool says 42]")
        // While the first sequence waited 1.5 s for its tool, the other kept decoding.
        #expect(otherWhileParked >= 2, "the other sequence decoded \(otherWhileParked) tokens while the tool ran")
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

    /// The calculator's mechanism on 30 generated two-digit additions (greedy): wherever a chain
    /// wrote `a + b =`, the exact sum was forced in right after the `=` and the call is in the
    /// trace. Whether the calculator makes the model more accurate is measured, not tested
    /// (`scripts/measure-tools`, docs/REASONING.md): which tokens the model picks differs by CPU.
    @Test func theCalculatorForcesTheExactSumAfterEveryEquals() async throws {
        let problems = try ArithmeticGenerator(seed: 2026).generate(count: 30, options: ArithmeticOptions(digits: 2, operations: 1, operators: [.add]))
        let reasoner = Reasoner(model: Self.engine)
        let configuration = try ReasoningConfiguration(effort: .low, strategy: .tools, maxReasoningTokens: 96,
                                                       tools: ToolUse(tools: [CalculatorTool()]))
        let traces = try await withThrowingTaskGroup(of: ReasoningTrace.self) { group in
            for problem in problems {
                group.addTask { try await reasoner.answer(problem.question, configuration: configuration) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // `a + b =` with nothing arithmetic before `a` (so the calculator's expression is exactly `a + b`).
        let pattern = try Regex(#"(\d+) ?\+ ?(\d+) ?=(?!=)"#)
        var checked = 0
        for trace in traces {
            let chain = try #require(trace.samples.first)
            for part in [chain.reasoning, chain.answer] {
                for match in part.matches(of: pattern) {
                    if match.range.lowerBound > part.startIndex {
                        let before = part[..<match.range.lowerBound].last { $0 != " " }
                        if let before, "0123456789.)+-*/×÷^".contains(before) { continue }
                    }
                    guard let a = Int(match.output[1].substring ?? ""), let b = Int(match.output[2].substring ?? "") else { continue }
                    let after = part[match.range.upperBound...].drop { $0 == " " }
                    // Nothing after `=`: the reasoning budget (or the answer line) closed right there,
                    // before the calculator's turn.
                    if after.isEmpty { continue }
                    checked += 1
                    #expect(after.hasPrefix("\(a + b)"), "after \"\(a) + \(b) =\" came \"\(after.prefix(12))\" in: \(part)")
                    #expect(chain.toolCalls.contains { $0.tool == "calculator" && !$0.isError && $0.result == "\(a + b)" },
                            "no calculator call for \(a) + \(b) in the trace: \(chain.toolCalls)")
                }
            }
            // Every call in the trace was forced into the chain's text.
            for call in chain.toolCalls {
                #expect((chain.reasoning + chain.answer).contains(call.injected), "\(call) is not in the chain")
            }
        }
        print("calculator mechanism: \(checked) expressions checked over \(traces.count) chains (\(RealModelTestSettings.description))")
        // The mechanism must have been exercised at least once; the tools prompt invites the model to
        // write `a + b =` for exactly these questions.
        #expect(checked > 0, "no chain wrote an addition followed by '='")
    }
}
