import PonderCore
import PonderReasoning
import PonderTesting
import Testing

/// The `.answer` event: final answer text, after the summaries and before `.done`.
@Suite struct AnswerEventTests {
    func events(_ model: ScriptedModel, _ configuration: ReasoningConfiguration) async throws -> [ReasoningEvent] {
        var events: [ReasoningEvent] = []
        for try await event in Reasoner(model: model).reason(about: [.user("What is 2 + 2?")], configuration: configuration) {
            events.append(event)
        }
        return events
    }

    @Test func answerDeltasConcatenateToTheTraceAnswerAndComeBeforeDone() async throws {
        let model = ScriptedModel { call in .init("Two and two make four.\nAnswer: \(call.sequence == 2 ? 5 : 4)") }
        let all = try await events(model, ReasoningConfiguration(effort: .medium, strategy: .selfConsistency, samples: 3))
        var answer = ""
        var answerIndex: Int?
        var lastSummaryIndex = -1
        for (index, event) in all.enumerated() {
            switch event {
            case .answer(let text): answer += text; answerIndex = answerIndex ?? index
            case .summary: lastSummaryIndex = index
            default: break
            }
        }
        guard case .done(let trace) = all.last else { Issue.record("the last event is not .done"); return }
        #expect(answer == trace.answer)
        #expect(answer == "4")
        let first = try #require(answerIndex)
        #expect(first > lastSummaryIndex)
    }

    @Test func directAnswersAlsoArriveAsAnswerEvents() async throws {
        let model = ScriptedModel { _ in .init("Four.") }
        let all = try await events(model, ReasoningConfiguration(effort: .none))
        let answers = all.compactMap { event -> String? in if case .answer(let text) = event { return text }; return nil }
        #expect(answers.joined() == "Four.")
    }
}
