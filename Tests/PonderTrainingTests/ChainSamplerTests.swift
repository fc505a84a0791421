import PonderCore
import PonderTesting
import Testing
@testable import PonderTraining

@Suite struct ChainSamplerTests {
    @Test func samplesKChainsInOneRequestWithTheReasoningCoresPrompt() async throws {
        let model = ScriptedModel { call in .init(call.sequence == 0 ? "1. 2 + 3 = 5\nAnswer: 5\n" : "1. 2 + 3 = 6\nAnswer: 6\n") }
        let chains = try await ChainSampler(model: model, maxReasoningTokens: 64, temperature: 0.7)
            .sample(question: "What is 2 + 3?", count: 4, seed: 9)
        #expect(chains.count == 4)
        let chainRequests = model.requests.filter { $0.steering != nil }
        #expect(chainRequests.count == 1)
        #expect(chainRequests[0].count == 4)
        #expect(chainRequests[0].sampling.temperature == 0.7)
        // The recorded conversation is the one the reasoning core sent: its instructions, then the question.
        #expect(chains[0].messages.first?.role == .system)
        #expect(chains[0].messages.last == .user("What is 2 + 3?"))
        #expect(chains[0].completion == "1. 2 + 3 = 5\nAnswer: 5")
        #expect(chains[0].extractedAnswer == "5")
        #expect(chains[1].extractedAnswer == "6")
        #expect(chains.map(\.sequence) == [0, 1, 2, 3])
        #expect(chains.allSatisfy { $0.seed == 9 })
    }

    @Test func rationalizationShowsTheHintButStoresThePlainQuestion() async throws {
        let model = ScriptedModel { call in
            let user = call.lastUserMessage ?? ""
            guard user.contains("Hint:") else { return .init("Answer: 1\n") }
            return .init(call.sequence == 0 ? "The hint says 43.\nAnswer: 43\n" : "1. 17 + 26 = 43\nAnswer: 43\n")
        }
        let question = "What is 17 + 26?"
        let chains = try await ChainSampler(model: model, maxReasoningTokens: 64, temperature: 0.7)
            .sample(question: question, hint: "Hint: the correct answer is 43.", count: 2, seed: 1)
        let sent = model.requests.filter { $0.steering != nil }
        guard case .chat(let messages) = sent.first?.prompt else { Issue.record("no chat request"); return }
        #expect(messages.last?.content.contains("Hint: the correct answer is 43.") == true)
        #expect(chains.allSatisfy { $0.messages.last == .user(question) })
        #expect(!chains.contains { $0.messages.contains { $0.content.contains("Hint") } })

        let filter = ChainFilter(processVerifier: ArithmeticProcessVerifier(evaluator: TableEvaluator(table: ["17 + 26": 43])))
        var kept = Set<String>()
        let verdicts = filter.judge(chains, expected: "43", kind: .number, question: question, rationalized: true, keptSoFar: &kept)
        #expect(verdicts == [.quotesHint, .kept])
    }
}
