import Foundation
import PonderCore
import PonderReasoning
import PonderTesting
import Testing

/// Versioned prompt files: the built-in ones decode, the right one is chosen per model family, bad
/// files are one-line errors, and a user's file replaces the instructions.
@Suite struct ReasoningPromptTests {
    let chatML = ModelInfo(name: "SmolLM2 135M Instruct", architecture: "llama", contextLength: 4096,
                           chatTemplate: "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>{% endfor %}")
    let thinker = ModelInfo(name: "Qwen3 0.6B", architecture: "qwen3", contextLength: 4096,
                            chatTemplate: "{% for m in messages %}<|im_start|>{{ m.role }}{% endfor %}<think>\n</think>")

    @Test func everyBuiltInFileDecodesWithAVersion() {
        #expect(ReasoningPrompt.builtIn.map(\.label) == ["native-thinking@1", "instruct@1"])
    }

    @Test func theFamilyDecidesThePromptAndTheFormat() throws {
        #expect(ReasoningPrompt.select(for: chatML).label == "instruct@1")
        #expect(ReasoningPrompt.select(for: ModelInfo(name: "no template", contextLength: 512)).label == "instruct@1")
        #expect(ReasoningPrompt.select(for: thinker).label == "native-thinking@1")
        #expect(Reasoner(model: ScriptedModel(info: thinker) { _ in .init("") }).format == .native(open: "<think>\n", close: "</think>"))
        #expect(Reasoner(model: ScriptedModel(info: chatML) { _ in .init("") }).format == .prompted(marker: "Answer:"))
    }

    @Test func theInstructPromptIsTheMeasuredV1Text() {
        // docs/REASONING.md's measurements used exactly this text; a change needs a new version.
        let prompt = ReasoningPrompt.select(for: chatML)
        #expect(prompt.instructions == """
            Think step by step before answering. First write your reasoning in short, numbered steps. \
            Then write the final answer on a new line that starts with "Answer:".
            """)
    }

    @Test func theTraceRecordsThePromptAndAUsersFileReplacesTheInstructions() async throws {
        let json = """
            {"id": "terse", "version": 3, "match": {}, "thinking": {"kind": "prompted", "marker": "Result:"},
             "instructions": "Be brief. End with Result: and the number.", "tool_invitations": {"calculator": "Type a sum then =."}}
            """
        let prompt = try ReasoningPrompt(json: Data(json.utf8), source: "terse.json")
        let model = ScriptedModel(info: chatML) { _ in .init("Ten and two.\nResult: 12") }
        let reasoner = Reasoner(model: model, prompt: prompt)
        let trace = try await reasoner.answer("What is 10 + 2?", configuration: try ReasoningConfiguration(strategy: .cot, tools: .none))
        #expect(trace.answer == "12")
        #expect(trace.prompt == "terse@3")
        guard case .chat(let messages)? = model.requests.first?.prompt else { Issue.record("expected a chat prompt"); return }
        #expect(messages.first?.content == "Be brief. End with Result: and the number.")
        struct Calculatorish: ReasoningTool {
            let name = "calculator"
            let invitation = "the tool's own words"
            func makeSession() -> any ToolSession { SilentSession() }
            func summary(of call: ToolCall) -> (title: String, text: String) { ("", "") }
        }
        #expect(prompt.instructions(tools: [Calculatorish()]).hasSuffix("Type a sum then =."))
    }

    @Test func badFilesAreOneLineErrors() throws {
        let cases = [
            "{not json",
            #"{"id": "x", "version": 1, "match": {}, "instructions": "", "tool_invitations": {}}"#,
            #"{"id": "x", "version": 1, "match": {}, "thinking": {"kind": "telepathy"}, "instructions": "", "tool_invitations": {}}"#,
            #"{"id": "x", "version": 1, "match": {}, "thinking": {"kind": "prompted", "marker": ""}, "instructions": "", "tool_invitations": {}}"#,
            #"{"id": "x", "version": 0, "match": {}, "thinking": {"kind": "prompted", "marker": "A:"}, "instructions": "", "tool_invitations": {}}"#,
        ]
        for json in cases {
            do {
                _ = try ReasoningPrompt(json: Data(json.utf8), source: "bad.json")
                Issue.record("accepted \(json)")
            } catch {
                let line = "\(error)"
                #expect(!line.contains("\n") && line.hasPrefix("cannot use the prompt file bad.json") || line.hasPrefix("invalid prompt x"))
            }
        }
        #expect(throws: ReasoningPromptError.self) { try ReasoningPrompt(contentsOf: URL(fileURLWithPath: "/nonexistent/prompt.json")) }
    }
}

/// A tool session that never sees a call.
final class SilentSession: ToolSession {
    func invocation(after text: String, inAnswer: Bool) -> ToolInvocation? { nil }
}
