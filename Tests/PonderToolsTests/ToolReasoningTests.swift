import Foundation
import PonderCore
import PonderReasoning
import PonderSandbox
import PonderTesting
import Testing
@testable import PonderTools

/// Tools inside reasoning chains, against a scripted model: where results land, what the trace
/// records, and when tools are offered at all.
@Suite struct ToolReasoningTests {
    private func configuration(_ strategy: StrategyKind, samples: Int? = nil, mode: ToolUse.Mode = .always,
                               tools: [any ReasoningTool] = [CalculatorTool()]) throws -> ReasoningConfiguration {
        try ReasoningConfiguration(effort: .medium, strategy: strategy, samples: samples, maxReasoningTokens: 64,
                                   tools: ToolUse(tools: tools, mode: mode))
    }

    @Test func resultsLandRightAfterEqualsInEveryParallelSequence() async throws {
        // Each of 4 sequences writes a different sum; each must get its own exact result.
        let model = ScriptedModel { call in
            let a = 11 * (call.sequence + 1)
            return .init("First, \(a) + 45 = so the sum is known.\nAnswer: \(a + 45)", continuesAfterInjection: true)
        }
        let trace = try await Reasoner(model: model).answer("What is 11 + 45?", configuration: configuration(.selfConsistency, samples: 4))
        #expect(trace.samples.count == 4)
        for (index, chain) in trace.samples.enumerated() {
            let a = 11 * (index + 1)
            #expect(chain.reasoning.contains("\(a) + 45 = \(a + 45) so the sum"), "\(chain.reasoning)")
            #expect(chain.toolCalls == [ToolCall(tool: "calculator", input: "\(a) + 45", result: "\(a + 45)", injected: " \(a + 45)", isError: false)])
            #expect(chain.toolTokens == 1)
            #expect(chain.answer == "\(a + 45)")   // the answer line itself has no `=`: nothing forced into it
        }
        #expect(trace.usage.toolTokens == 4)
        #expect(trace.summaries.contains { $0.title == "Computing 11 + 45 = 56" })
        #expect(trace.summaries.contains { $0.title == "Planning the approach" && $0.text.contains("with tools: calculator") })
    }

    @Test func anAnswerThatComputesIsComputed() async throws {
        let model = ScriptedModel { _ in .init("Adding.\nAnswer: 20 + 22 =", continuesAfterInjection: true) }
        let trace = try await Reasoner(model: model).answer("What is 20 + 22?", configuration: configuration(.tools))
        #expect(trace.answer == "20 + 22 = 42" && trace.extractedAnswer == "42")
    }

    @Test func toolOutputIsStreamedDistinctly() async throws {
        let model = ScriptedModel { _ in .init("3 * 4 = and then 2 + 2 = done.\nAnswer: 12", continuesAfterInjection: true) }
        var reasoning = ""
        var toolText: [String] = []
        let events = Reasoner(model: model).reason(about: [.user("What is 3 * 4?")], configuration: try configuration(.tools))
        for try await event in events {
            switch event {
            case .reasoning(let text): reasoning += text
            case .toolOutput(let text): toolText.append(text); reasoning += "[\(text)]"
            default: break
            }
        }
        #expect(toolText == [" 12", " 4"])
        #expect(reasoning.contains("3 * 4 =[ 12] and then 2 + 2 =[ 4] done."), "\(reasoning)")
    }

    @Test func automaticModeNeedsNumbersAndMediumEffort() async throws {
        let model = ScriptedModel { _ in .init("1 + 1 = fine.\nAnswer: 2", continuesAfterInjection: true) }
        let automatic = try ToolUse(tools: [CalculatorTool()], mode: .automatic)
        let withNumbers = try await Reasoner(model: model).answer("What is 1 + 1?", configuration: ReasoningConfiguration(effort: .medium, strategy: .cot, tools: automatic))
        #expect(withNumbers.samples[0].toolCalls.count == 1)
        let lowEffort = try await Reasoner(model: model).answer("What is 1 + 1?", configuration: ReasoningConfiguration(effort: .low, tools: automatic))
        #expect(lowEffort.samples[0].toolCalls.isEmpty)
        let noNumbers = try await Reasoner(model: model).answer("What is one plus one?", configuration: ReasoningConfiguration(effort: .medium, strategy: .cot, tools: automatic))
        #expect(noNumbers.samples[0].toolCalls.isEmpty)
        // The prompt invites the tool only when it is offered.
        let prompts = model.requests.map { "\($0.prompt)" }
        #expect(prompts[0].contains("calculator") && !prompts[1].contains("calculator"))
    }

    @Test func callsPerChainAreCapped() async throws {
        let model = ScriptedModel { _ in .init("1 + 1 = then 2 + 2 = then 3 + 3 = then 4 + 4 = done.\nAnswer: 8", continuesAfterInjection: true) }
        let tools = try ToolUse(tools: [CalculatorTool()], mode: .always, maxCallsPerChain: 2)
        let trace = try await Reasoner(model: model).answer("Sum?", configuration: ReasoningConfiguration(effort: .low, strategy: .cot, tools: tools))
        #expect(trace.samples[0].toolCalls.map(\.input) == ["1 + 1", "2 + 2"])
    }

    @Test func strategyToolsWithoutToolsIsRefused() {
        #expect(throws: ReasoningError.self) { try ReasoningConfiguration(strategy: .tools) }
        #expect(throws: ReasoningError.self) { try ToolUse(tools: [CalculatorTool(), CalculatorTool()]) }
        #expect(throws: ReasoningError.self) { try ToolUse(tools: [CalculatorTool()], maxCallsPerChain: 0) }
    }
}

/// A code runner that records what it ran and answers after a pause.
final class RecordingRunner: CodeRunner, @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [String] = []
    let reply: CodeRunOutcome
    init(reply: CodeRunOutcome) { self.reply = reply }
    var ran: [String] { lock.withLock { sources } }
    func runPython(_ source: String) async -> CodeRunOutcome {
        lock.withLock { sources.append(source) }
        try? await Task.sleep(for: .milliseconds(50))
        return reply
    }
}

@Suite struct PythonToolTests {
    @Test func aClosedPythonBlockRunsAndItsOutputIsForcedIn() async throws {
        let runner = RecordingRunner(reply: CodeRunOutcome(output: "1024", isError: false))
        let model = ScriptedModel { _ in .init("Compute it.\n```python\nprint(2 ** 10)\n```\nSo it is 1024.\nAnswer: 1024", continuesAfterInjection: true) }
        let tools = try ToolUse(tools: [PythonTool(runner: runner)])
        let trace = try await Reasoner(model: model).answer("What is 2 to the 10th?", configuration: ReasoningConfiguration(effort: .low, strategy: .tools, tools: tools))
        #expect(runner.ran == ["print(2 ** 10)\n"])
        let chain = try #require(trace.samples.first)
        #expect(chain.reasoning.contains("```python\nprint(2 ** 10)\n```\n```output\n1024\n```\n"), "\(chain.reasoning)")
        #expect(chain.toolCalls.map(\.tool) == ["python"] && chain.toolCalls[0].result == "1024")
        #expect(trace.summaries.contains { $0.title == "Running code" && $0.text.contains("1024") })
        #expect(trace.answer == "1024")
    }

    @Test func outputIsTruncatedAndErrorsAreReported() async throws {
        let runner = RecordingRunner(reply: CodeRunOutcome(output: String(repeating: "x", count: 500), isError: true))
        let session = PythonSession(runner: runner, outputLimit: 100)
        guard case .deferred(_, let input, let run)? = session.invocation(after: "```python\nwhile True: pass\n```", inAnswer: false) else {
            Issue.record("no call"); return
        }
        #expect(input == "while True: pass\n")
        let call = await run()
        #expect(call.isError && call.result.hasPrefix(String(repeating: "x", count: 100)) && call.result.hasSuffix("…(truncated)"))
        #expect(call.result.count < 120)
    }

    @Test func onlyPythonBlocksRunAndOnlyOnce() {
        var handled = 0
        #expect(PythonSession.closedBlock(in: "```python\nprint(1)\n", handledFences: &handled) == nil)   // still open
        #expect(PythonSession.closedBlock(in: "```python\nprint(1)\n```", handledFences: &handled) == "print(1)\n")
        #expect(PythonSession.closedBlock(in: "```python\nprint(1)\n```", handledFences: &handled) == nil)   // once
        var other = 0
        #expect(PythonSession.closedBlock(in: "```bash\nrm -rf /\n```", handledFences: &other) == nil)
        let session = PythonSession(runner: RecordingRunner(reply: .init(output: "", isError: false)), outputLimit: 10)
        #expect(session.invocation(after: "Answer: ```python\nprint(1)\n```", inAnswer: true) == nil)   // never in the answer
    }

    @Test func selectionParsesNamesAndRefusesUnknownOnes() throws {
        #expect(try ToolSelection(parsing: "calculator,python").names == [.calculator, .python])
        #expect(try ToolSelection(parsing: " Calculator , calculator").names == [.calculator])
        #expect(try ToolSelection(parsing: "none").names.isEmpty)
        #expect(try ToolSelection(parsing: "auto") == .automatic)
        #expect(throws: ToolSelectionError.unknownTool("abacus")) { try ToolSelection(parsing: "calculator,abacus") }
        let use = try ToolSelection(parsing: "calculator,python").toolUse(codeRunner: RecordingRunner(reply: .init(output: "", isError: false)))
        #expect(use.tools.map(\.name) == ["calculator", "python"] && use.mode == .always)
    }
}

/// The python tool's runner against the real sandbox (separate process, limits, no network).
@Suite struct SandboxCodeRunnerTests {
    @Test func runsCodeAndReportsItsOutput() async {
        let outcome = await SandboxCodeRunner().runPython("print(sum(range(101)))")
        #expect(outcome.output == "5050" && !outcome.isError)
        // The outcome names the isolation it ran under, and by default that level isolates.
        #expect(outcome.isolation == Sandbox.bestIsolation?.rawValue && outcome.isolation != nil)
    }

    @Test func theToolCallRecordsTheIsolation() async throws {
        let runner = SandboxCodeRunner(sandbox: try Sandbox(limits: SandboxCodeRunner.defaultLimits, isolation: .processOnly))
        #expect(runner.isolation == .processOnly && runner.setupError == nil)
        let session = PythonTool(runner: runner).makeSession()
        guard case .deferred(_, _, let run)? = session.invocation(after: "```python\nprint(7)\n```", inAnswer: false) else {
            Issue.record("no call")
            return
        }
        let call = await run()
        #expect(call.result == "7" && call.isolation == "processOnly")
        let json = String(decoding: try JSONEncoder().encode(call), as: UTF8.self)
        #expect(json.contains("\"isolation\":\"processOnly\""))
        // Other tools leave it out of the trace.
        let plain = String(decoding: try JSONEncoder().encode(ToolCall(tool: "calculator", input: "1+1", result: "2", injected: " 2", isError: false)), as: UTF8.self)
        #expect(!plain.contains("isolation"))
    }

    @Test func failuresAreOutcomesNotCrashes() async {
        let outcome = await SandboxCodeRunner().runPython("raise ValueError('bad input')")
        #expect(outcome.isError && outcome.output.contains("ValueError: bad input"))
        let loop = await SandboxCodeRunner(limits: try? .init(wallSeconds: 1, cpuSeconds: 1)).runPython("while True: pass")
        #expect(loop.isError)
    }

    @Test func secretsAndNetworkStayOut() async {
        setenv("PONDER_TEST_SECRET", "hunter2", 1)
        let env = await SandboxCodeRunner().runPython("import os; print(os.environ.get('PONDER_TEST_SECRET', 'absent'))")
        #expect(env.output == "absent")
        let net = await SandboxCodeRunner().runPython("import socket; socket.create_connection(('1.1.1.1', 53), timeout=2); print('connected')")
        #expect(!net.output.contains("connected"))
    }
}
