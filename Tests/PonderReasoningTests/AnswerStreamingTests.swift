import PonderCore
@testable import PonderReasoning
import PonderTesting
import Testing

/// A single chain's answer streams while it is written, and the pieces are exactly the final answer.
@Suite struct AnswerStreamingTests {
    func run(_ model: ScriptedModel, _ configuration: ReasoningConfiguration) async throws -> (answers: [String], events: [ReasoningEvent]) {
        var events: [ReasoningEvent] = []
        for try await event in Reasoner(model: model).reason(about: [.user("What is 12 + 30?")], configuration: configuration) {
            events.append(event)
        }
        let answers = events.compactMap { event -> String? in if case .answer(let text) = event { return text }; return nil }
        return (answers, events)
    }

    @Test func aChainOfThoughtAnswerArrivesInSeveralPiecesThatMakeTheTraceAnswer() async throws {
        let model = ScriptedModel { _ in .init("Twelve and thirty make forty-two.\nAnswer: The total is 42 apples\nextra line") }
        let (answers, events) = try await run(model, ReasoningConfiguration(strategy: .cot))
        guard case .done(let trace) = events.last else { Issue.record("no .done"); return }
        #expect(answers.count >= 3)                        // one piece per scripted token, not one final delta
        #expect(answers.joined() == trace.answer)
        #expect(trace.answer == "The total is 42 apples")
        #expect(trace.extractedAnswer == "42")
        // Every summary comes before the first answer piece.
        let firstAnswer = try #require(events.firstIndex { if case .answer = $0 { return true }; return false })
        let lastSummary = try #require(events.lastIndex { if case .summary = $0 { return true }; return false })
        #expect(lastSummary < firstAnswer)
    }

    @Test func aForcedAnswerStreamsTooAndTheClosingSummaryComesFirst() async throws {
        let model = ScriptedModel { _ in .init(Array(repeating: "hmm", count: 30).joined(separator: " "), afterInjection: " 42 is it") }
        let (answers, events) = try await run(model, ReasoningConfiguration(strategy: .cot, maxReasoningTokens: 8))
        guard case .done(let trace) = events.last else { Issue.record("no .done"); return }
        #expect(answers.joined() == trace.answer)
        #expect(trace.answer == "42 is it")
        let titles = events.compactMap { event -> String? in if case .summary(let summary) = event { return summary.title }; return nil }
        #expect(titles.contains("Closing the reasoning"))
    }

    @Test func votingStrategiesSendTheAnswerOnceItIsDecided() async throws {
        let model = ScriptedModel { call in .init("Adding.\nAnswer: \(call.sequence == 1 ? 41 : 42) apples") }
        let (answers, events) = try await run(model, ReasoningConfiguration(strategy: .selfConsistency, samples: 3))
        guard case .done(let trace) = events.last else { Issue.record("no .done"); return }
        #expect(answers == [trace.answer])
        #expect(trace.extractedAnswer == "42")
    }

    @Test func theStreamerKeepsTheFirstNonEmptyLineTrimmedHoweverTheTextIsSplit() {
        let texts = [" 42\nmore", "\n\n  The answer is 7 .  \n8", "x", "  \n ", "a  b\tc", "42 ", "é ü\n", ""]
        for text in texts {
            let characters = Array(text)
            for split in 0...characters.count {
                var streamer = AnswerLineStreamer(endsAtNewline: true)
                let shown = streamer.feed(String(characters[..<split])) + streamer.feed(String(characters[split...]))
                var expected = text.trimmed
                if let newline = expected.firstIndex(of: "\n") { expected = String(expected[..<newline]).trimmed }
                #expect(shown == expected, "text \(text.debugDescription) split at \(split)")
            }
        }
    }

    @Test func aBlockAnswerRunsToTheEndOfTheTurnAndStreamsWhole() async throws {
        let model = ScriptedModel { _ in .init("Write it.\nAnswer:\n```python\ndef f(x):\n    return x + 1\n```\n") }
        let (answers, events) = try await run(model, ReasoningConfiguration(strategy: .cot, answerForm: .block))
        guard case .done(let trace) = events.last else { Issue.record("no .done"); return }
        #expect(trace.answer == "```python\ndef f(x):\n    return x + 1\n```")
        #expect(answers.count >= 3)
        #expect(answers.joined() == trace.answer)
        let line = try await run(model, ReasoningConfiguration(strategy: .cot))
        guard case .done(let lineTrace) = line.events.last else { Issue.record("no .done"); return }
        #expect(lineTrace.answer == "```python", "a line answer still ends at its first line")
    }

    @Test func theBlockStreamerKeepsEverythingTrimmedHoweverTheTextIsSplit() {
        let texts = [" 42\nmore", "\n\n  a\n\n  b  \n", "x", "  \n ", "def f():\n    return 1\n"]
        for text in texts {
            let characters = Array(text)
            for split in 0...characters.count {
                var streamer = AnswerLineStreamer(endsAtNewline: false)
                let shown = streamer.feed(String(characters[..<split])) + streamer.feed(String(characters[split...]))
                #expect(shown == text.trimmed, "text \(text.debugDescription) split at \(split)")
            }
        }
    }
}
