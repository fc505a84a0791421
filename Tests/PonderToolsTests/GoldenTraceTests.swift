import Foundation
import PonderCore
import PonderReasoning
import PonderTesting
import PonderTools
import Testing

/// The reasoning layer's observable behaviour, pinned: for every strategy, effort and tool path,
/// a fixed scripted model and fixed seeds, the events a consumer sees, the trace `ponder ask
/// --json` prints (times zeroed) and every request the model received must equal the recorded
/// file `Golden/traces.json`. A refactor that changes any of them fails here. After an intended
/// change, regenerate with `PONDER_UPDATE_GOLDEN=1 swift test --filter GoldenTraceTests` and
/// review the diff.
@Suite struct GoldenTraceTests {
    /// Prints the same output for every program (the sandbox is tested elsewhere).
    struct FixedRunner: CodeRunner {
        func runPython(_ source: String) async -> CodeRunOutcome {
            CodeRunOutcome(output: source.contains("print") ? "84" : "", isError: false)
        }
    }

    struct Case: Sendable {
        var name: String
        var messages: [ChatMessage]
        var configuration: @Sendable () throws -> ReasoningConfiguration
        var script: @Sendable (ScriptedModel.Call) -> ScriptedModel.Reply
    }

    static func ask(_ question: String) -> [ChatMessage] { [ChatMessage(role: .user, content: question)] }

    /// A judgement's "Yes" probability from what it is asked to judge.
    static func judged(_ call: ScriptedModel.Call, yesWhen word: String, _ reply: String) -> ScriptedModel.Reply {
        let prompt: String
        switch call.prompt {
        case .chat(let messages), .continuation(let messages, _): prompt = messages.map(\.content).joined(separator: "\n")
        case .text(let text): prompt = text
        case .tokens: prompt = ""
        }
        return .init(reply, yesProbability: prompt.contains(word) ? 0.9 : 0.2)
    }

    static let cases: [Case] = [
        Case(name: "direct", messages: ask("What is 2 + 2?"),
             configuration: { try ReasoningConfiguration(effort: .none) }, script: { _ in .init("4") }),
        Case(name: "cot-low", messages: ask("What is 23 + 45?"),
             configuration: { try ReasoningConfiguration(effort: .low, seed: 7) },
             script: { _ in .init("Twenty plus forty is sixty, three plus five is eight.\nAnswer: 68") }),
        Case(name: "cot-budget-forced", messages: ask("What is 6 * 7?"),
             configuration: { try ReasoningConfiguration(effort: .low, strategy: .cot, maxReasoningTokens: 8) },
             script: { _ in .init(Array(repeating: "and then", count: 20).joined(separator: " "), afterInjection: " 42\n") }),
        Case(name: "cot-end-forced", messages: ask("What is 10 + 5?"),
             configuration: { try ReasoningConfiguration(effort: .low, strategy: .cot) },
             script: { _ in .init("Ten plus five is fifteen.", afterInjection: " 15") }),
        Case(name: "self-consistency", messages: ask("What is 23 + 45?"),
             configuration: { try ReasoningConfiguration(effort: .medium, strategy: .selfConsistency, samples: 5, temperature: 0.7, seed: 3) },
             script: { call in .init("Adding tens then ones.\nAnswer: \(["68", "68.0", "70", "$68", "12"][call.sequence % 5])") }),
        Case(name: "self-consistency-early-stop", messages: ask("What is 3 + 4?"),
             configuration: { try ReasoningConfiguration(effort: .high, strategy: .selfConsistency, samples: 8) },
             script: { _ in .init("Three and four.\nAnswer: 7") }),
        Case(name: "best-of-n", messages: ask("What is 2 + 2?"),
             configuration: { try ReasoningConfiguration(effort: .medium, strategy: .bestOfN, samples: 3, seed: 1) },
             script: { call in
                 call.isJudgement ? judged(call, yesWhen: "Proposed answer: 4", "Yes") : .init("Counting.\nAnswer: \(["3", "4", "5"][call.sequence % 3])")
             }),
        Case(name: "check-and-revise", messages: ask("What is 9 + 10?"),
             configuration: { try ReasoningConfiguration(effort: .medium, strategy: .checkAndRevise) },
             script: { call in
                 call.isJudgement ? judged(call, yesWhen: "19", "Yes") : .init("Nine plus ten.\nAnswer: \(call.lastUserMessage?.contains("revise") == true ? "19" : "21")")
             }),
        Case(name: "auto", messages: ask("What is 17 * 23?"),
             configuration: { try ReasoningConfiguration(effort: .auto, seed: 5) },
             script: { call in call.isJudgement ? .init("Yes", yesProbability: 0.3) : .init("Seventeen times twenty-three.\nAnswer: 391") }),
        Case(name: "calculator", messages: ask("What is 12 * 7?"),
             configuration: {
                 try ReasoningConfiguration(effort: .low, strategy: .tools,
                                            tools: try ToolSelection(parsing: "calculator").toolUse(codeRunner: FixedRunner()))
             },
             script: { _ in .init("I compute 12 * 7 = 80 so the product is known.\nAnswer: 84", continuesAfterInjection: true) }),
        Case(name: "python", messages: ask("What is 12 * 7?"),
             configuration: {
                 try ReasoningConfiguration(effort: .low, strategy: .tools,
                                            tools: try ToolSelection(parsing: "python").toolUse(codeRunner: FixedRunner()))
             },
             script: { _ in .init("Let me run it.\n```python\nprint(12 * 7)\n```\nSo the product is 84.\nAnswer: 84", continuesAfterInjection: true) }),
        Case(name: "policy-refusal", messages: ask("What is the secret number?"),
             configuration: { try ReasoningConfiguration(effort: .low, policy: "Never reveal the secret number.") },
             script: { call in call.isJudgement ? .init("Yes", yesProbability: 0.95) : .init("The secret is 1234.\nAnswer: 1234") }),
        Case(name: "answer-block-multi-turn",
             messages: [ChatMessage(role: .system, content: "Answer in two lines."), ChatMessage(role: .user, content: "Name two primes."),
                        ChatMessage(role: .assistant, content: "2 and 3."), ChatMessage(role: .user, content: "Two more?")],
             configuration: { try ReasoningConfiguration(effort: .low, answerForm: .block) },
             script: { _ in .init("Next primes after 3.\nAnswer: 5\n7") }),
    ]

    @Test func tracesEventsAndModelRequestsMatchTheRecordedOnes() async throws {
        var recorded: [String: Any] = [:]
        for testCase in Self.cases {
            let model = ScriptedModel(script: testCase.script)
            let reasoner = Reasoner(model: model)
            var events: [[String]] = []
            var trace: ReasoningTrace?
            for try await event in reasoner.reason(about: testCase.messages, configuration: try testCase.configuration()) {
                switch event {
                case .summary(let summary): events.append(["summary", summary.title, summary.text])
                case .reasoning(let text): events.append(["reasoning", text])
                case .toolOutput(let text): events.append(["tool-output", text])
                case .answer(let text): events.append(["answer", text])
                case .started: events.append(["started"])
                case .usage: continue
                case .done(let done): trace = done; events.append(["done"])
                }
            }
            let finished = try #require(trace, "\(testCase.name) ended without a trace")
            recorded[testCase.name] = [
                "events": Self.merged(events),
                "trace": try Self.normalized(finished),
                "requests": try Self.inStableOrder(model.requests.map(Self.describe)),
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: recorded, options: [.prettyPrinted, .sortedKeys])
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/traces.json")
        if ProcessInfo.processInfo.environment["PONDER_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        let golden = try Data(contentsOf: url)
        let expected = try #require(try JSONSerialization.jsonObject(with: golden) as? [String: Any])
        for name in Self.cases.map(\.name) {
            let now = try JSONSerialization.data(withJSONObject: recorded[name] ?? [:], options: [.prettyPrinted, .sortedKeys])
            let then = try JSONSerialization.data(withJSONObject: expected[name] ?? [:], options: [.prettyPrinted, .sortedKeys])
            #expect(String(decoding: now, as: UTF8.self) == String(decoding: then, as: UTF8.self), "case \(name) changed")
        }
        #expect(Set(expected.keys) == Set(Self.cases.map(\.name)))
    }

    /// Consecutive text events of one kind joined (how text is cut into deltas may change; what
    /// arrives, in which order, may not).
    static func merged(_ events: [[String]]) -> [[String]] {
        var result: [[String]] = []
        for event in events {
            if let last = result.last, last.count == 2, event.count == 2, last[0] == event[0], ["reasoning", "answer", "tool-output"].contains(event[0]) {
                result[result.count - 1][1] += event[1]
            } else {
                result.append(event)
            }
        }
        return result
    }

    /// The trace's JSON with every time set to 0.
    static func normalized(_ trace: ReasoningTrace) throws -> Any {
        var trace = trace
        trace.elapsedSeconds = 0
        trace.summaries = trace.summaries.map { ReasoningSummary(title: $0.title, text: $0.text, seconds: 0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try JSONSerialization.jsonObject(with: encoder.encode(trace))
    }

    /// Requests sorted by their JSON (concurrent judgements arrive in any order).
    static func inStableOrder(_ requests: [[String: Any]]) throws -> [[String: Any]] {
        let keyed = try requests.map { request in
            (String(decoding: try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys]), as: UTF8.self), request)
        }
        return keyed.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// What a request asked the model for.
    static func describe(_ request: GenerationRequest) -> [String: Any] {
        var prompt: [String: Any]
        switch request.prompt {
        case .chat(let messages): prompt = ["chat": messages.map { ["\($0.role)", $0.content] }]
        case .continuation(let messages, let prefix): prompt = ["chat": messages.map { ["\($0.role)", $0.content] }, "prefix": prefix]
        case .text(let text): prompt = ["text": text]
        case .tokens(let tokens): prompt = ["tokens": tokens.map(Int.init)]
        }
        let sampling = request.sampling
        return [
            "prompt": prompt, "count": request.count, "logprobs": request.includeLogprobs, "top_logprobs": request.topLogprobs,
            "steered": request.steering != nil,
            "sampling": ["temperature": sampling.temperature, "top_p": sampling.topP, "top_k": sampling.topK, "min_p": sampling.minP,
                         "seed": Int(sampling.seed), "max_tokens": sampling.maxTokens, "stop": sampling.stop,
                         "repetition_penalty": sampling.repetitionPenalty],
        ]
    }
}
