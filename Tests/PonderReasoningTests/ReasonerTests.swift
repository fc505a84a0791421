import PonderCore
@testable import PonderReasoning
import PonderTesting
import Testing

/// Strategy logic against a scripted model: each rule has a test that fails when it breaks.
@Suite struct ReasonerTests {
    func configuration(_ effort: Effort = .medium, strategy: StrategyKind? = nil, samples: Int? = nil,
                       budget: Int? = nil, policy: String? = nil) throws -> ReasoningConfiguration {
        try ReasoningConfiguration(effort: effort, strategy: strategy, samples: samples, maxReasoningTokens: budget, policy: policy)
    }

    @Test func selfConsistencyVotesOnNormalisedAnswers() async throws {
        let answers = ["68", "68.0", "70", "$68", "12"]
        let model = ScriptedModel { call in .init("Step 1: add the tens. Step 2: add the ones.\nAnswer: \(answers[call.sequence])") }
        let trace = try await Reasoner(model: model).answer("What is 23 + 45?", configuration: configuration(strategy: .selfConsistency, samples: 5))
        #expect(trace.extractedAnswer == "68")
        #expect(trace.votes["68"] == 3)
        #expect(trace.strategy == .selfConsistency)
        #expect(model.requests.first?.count == 5)   // one parallel batch
    }

    @Test func selfConsistencyStopsEarlyWhenTheLeaderCannotBeOvertaken() async throws {
        let model = ScriptedModel { _ in .init("Thinking it through.\nAnswer: 7") }
        let trace = try await Reasoner(model: model).answer("What is 3 + 4?", configuration: configuration(strategy: .selfConsistency, samples: 8))
        #expect(trace.samples.count == 5)           // 5 votes for 7 with 3 left cannot be beaten
        #expect(trace.extractedAnswer == "7")
        #expect(trace.summaries.contains { $0.text.contains("stopped early after 5 of 8") })
    }

    @Test func budgetForcingClosesTheReasoningAtExactlyTheBudget() async throws {
        let rambling = Array(repeating: "and then", count: 40).joined(separator: " ")
        let model = ScriptedModel { _ in .init(rambling, afterInjection: " 42\n") }
        let trace = try await Reasoner(model: model).answer("What is 6 * 7?", configuration: configuration(strategy: .cot, budget: 16))
        let chain = try #require(trace.samples.first)
        #expect(chain.reasoningTokens == 16)
        #expect(chain.budgetForced)
        #expect(chain.answer == "42")
        #expect(trace.extractedAnswer == "42")
        #expect(trace.usage.reasoningTokens == 16)
        #expect(trace.summaries.contains { $0.title == "Closing the reasoning" })
    }

    @Test func endOfTextBeforeTheAnswerForcesTheMarker() async throws {
        let model = ScriptedModel { _ in .init("Ten plus five is fifteen.", afterInjection: " 15") }
        let trace = try await Reasoner(model: model).answer("What is 10 + 5?", configuration: configuration(strategy: .cot))
        #expect(trace.samples.first?.budgetForced == true)
        #expect(trace.answer == "15")
        #expect(trace.samples.first?.reasoning == "Ten plus five is fifteen.")
    }

    @Test func reasoningStaysOutOfTheAnswer() async throws {
        let model = ScriptedModel { _ in .init("First, 2 + 2 = 4.\nAnswer: 4\nExtra text the model adds.") }
        let trace = try await Reasoner(model: model).answer("What is 2 + 2?", configuration: configuration(strategy: .cot))
        #expect(trace.answer == "4")
        #expect(trace.samples.first?.reasoning == "First, 2 + 2 = 4.")
    }

    @Test func bestOfNPicksTheChainTheVerifierScoresHighest() async throws {
        let answers = ["3", "5", "4"]
        let model = ScriptedModel { call in
            if call.isJudgement {
                return .init("", yesProbability: call.lastUserMessage?.contains("Proposed answer: 5") == true ? 0.9 : 0.2)
            }
            return .init("Reasoning.\nAnswer: \(answers[call.sequence])")
        }
        let trace = try await Reasoner(model: model).answer("What is 2 + 3?", configuration: configuration(strategy: .bestOfN, samples: 3))
        #expect(trace.extractedAnswer == "5")
        #expect(trace.samples.map(\.score) == [0.2, 0.9, 0.2].map { Optional($0) }.map { $0.map { ($0 * 1e9).rounded() / 1e9 } })
    }

    @Test func programmaticVerifierIsUsedWhenGiven() async throws {
        let answers = ["9", "10"]
        let model = ScriptedModel { call in .init("Reasoning.\nAnswer: \(answers[call.sequence])") }
        let verifier = ExpectedAnswerVerifier(expected: "10") { $0 == $1 }
        let configuration = try ReasoningConfiguration(strategy: .bestOfN, samples: 2, verifier: verifier)
        let trace = try await Reasoner(model: model).answer("What is 5 + 5?", configuration: configuration)
        #expect(trace.extractedAnswer == "10")
        #expect(!model.requests.contains { $0.topLogprobs > 0 })   // the model was not asked to judge
    }

    @Test func checkAndReviseRevisesWhileTheCheckFails() async throws {
        let model = ScriptedModel { call in
            if call.isJudgement { return .init("", yesProbability: call.lastUserMessage?.contains("Proposed answer: 12") == true ? 0.8 : 0.1) }
            let revising = call.lastUserMessage?.contains("may be wrong") == true
            return .init("Working.\nAnswer: \(revising ? "12" : "10")")
        }
        let trace = try await Reasoner(model: model).answer("What is 3 * 4?", configuration: configuration(.high, strategy: .checkAndRevise))
        #expect(trace.extractedAnswer == "12")
        #expect(trace.samples.count == 2)
        #expect(trace.summaries.contains { $0.title == "Revising" })
    }

    @Test func checkAndReviseStopsWhenTheCheckPasses() async throws {
        let model = ScriptedModel { call in call.isJudgement ? .init("", yesProbability: 0.9) : .init("Working.\nAnswer: 12") }
        let trace = try await Reasoner(model: model).answer("What is 3 * 4?", configuration: configuration(.high, strategy: .checkAndRevise))
        #expect(trace.samples.count == 1)
    }

    @Test func directAnswersWithoutReasoning() async throws {
        let model = ScriptedModel { _ in .init("The answer is 42.") }
        let trace = try await Reasoner(model: model).answer("What is 6 * 7?", configuration: configuration(.none))
        #expect(trace.strategy == .direct)
        #expect(trace.samples.isEmpty)
        #expect(trace.extractedAnswer == "42")
        #expect(trace.usage.reasoningTokens == 0)
        #expect(model.requests.first?.steering == nil)
    }

    @Test func autoEffortStopsAfterTheFirstChainsWhenTheyAgreeAndRunMoreWhenNot() async throws {
        let easy = ScriptedModel { _ in .init("Two and two.\nAnswer: 4") }
        let easyTrace = try await Reasoner(model: easy).answer("What is 2 + 2?", configuration: configuration(.auto))
        #expect(easyTrace.resolvedEffort == .medium)
        #expect(easyTrace.samples.count == 4 && easy.requests.count == 1)
        #expect(easyTrace.auto == AutoDecision(rule: .standard, agreement: 4, confidence: 10, moreChains: 0))   // scripted confidence 10
        #expect(easyTrace.extractedAnswer == "4")
        let guesses = ["1", "2", "3", "4", "4", "4", "4", "4"]
        let hard = ScriptedModel { call in .init("Guessing.\nAnswer: \(guesses[call.sequence % 8])") }
        let hardTrace = try await Reasoner(model: hard).answer("What is 17 * 23?", configuration: configuration(.auto))
        #expect(hardTrace.resolvedEffort == .high)
        // The first four chains are kept and vote with the four that follow, seeded after them.
        #expect(hardTrace.samples.count == 8 && hard.requests.count == 2)
        #expect(hard.requests[1].sampling.seed == hard.requests[0].sampling.seed + 4)
        #expect(hardTrace.auto?.agreement == 1 && hardTrace.auto?.moreChains == 4)
        #expect(hardTrace.summaries.contains { $0.title == "Assessing difficulty" && $0.text.contains("4 more chains run") })
        // Naming auto's own strategy (self-consistency) changes nothing: `ponder eval` runs it so.
        let own = try await Reasoner(model: easy).answer("What is 2 + 2?", configuration: configuration(.auto, strategy: .selfConsistency))
        #expect(own.auto?.moreChains == 0 && own.resolvedEffort == .medium && own.samples.count == 4)
        // Another named strategy with auto runs at high, with no staged assessment.
        let named = try await Reasoner(model: easy).answer("What is 2 + 2?", configuration: configuration(.auto, strategy: .confidentVote))
        #expect(named.auto == nil && named.resolvedEffort == .high && named.samples.count == 8)
    }

    @Test func summariesAreTitledWithGerundsInPhaseOrder() async throws {
        let model = ScriptedModel { _ in .init("Add the numbers carefully.\nAnswer: 5") }
        let trace = try await Reasoner(model: model).answer("What is 2 + 3?", configuration: configuration(strategy: .selfConsistency, samples: 3))
        #expect(trace.summaries.allSatisfy { $0.title.split(separator: " ").first?.hasSuffix("ing") == true })
        #expect(trace.summaries.first?.title == "Assessing the question")
        #expect(trace.summaries.last?.title == "Settling on the answer")
        #expect(trace.summaries.contains { $0.title == "Working through the problem" && $0.text == "Add the numbers carefully." })
        #expect(trace.summaries.map(\.seconds) == trace.summaries.map(\.seconds).sorted())
    }

    @Test func policyViolationTurnsTheAnswerIntoARefusalNamingTheRule() async throws {
        let model = ScriptedModel { call in
            if call.isJudgement { return .init("", yesProbability: call.lastUserMessage?.contains("Never reveal") == true ? 0.9 : 0.1) }
            return .init("Thinking.\nAnswer: the password is swordfish")
        }
        let policy = "# house rules\nBe polite.\nNever reveal passwords.\n"
        let trace = try await Reasoner(model: model).answer("What is the password?", configuration: configuration(strategy: .cot, policy: policy))
        #expect(trace.answer.contains("rule 2"))
        #expect(!trace.answer.contains("swordfish"))
        #expect(trace.summaries.contains { $0.title == "Checking the policy" && $0.text.contains("Never reveal passwords.") })
    }

    @Test func emptyQuestionIsRefused() async throws {
        let model = ScriptedModel { _ in .init("x") }
        await #expect(throws: ReasoningError.emptyQuestion) {
            _ = try await Reasoner(model: model).answer("   ", configuration: configuration())
        }
    }

    @Test func invalidSettingsAreOneLineErrors() {
        #expect(throws: ReasoningError.self) { try ReasoningConfiguration(samples: 0) }
        #expect(throws: ReasoningError.self) { try ReasoningConfiguration(maxReasoningTokens: 0) }
        #expect(throws: ReasoningError.self) { try ReasoningConfiguration(temperature: -1) }
        #expect(!"\(ReasoningError.unreadablePolicy(path: "/x"))".contains("\n"))
    }
}

@Suite struct NativeThinkingTests {
    let info = ModelInfo(name: "thinker", contextLength: 4096,
                         chatTemplate: "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>{% endfor %}<think>\n</think>")

    @Test func modelsWithThinkTagsThinkNativelyAndTheCloseTagSplitsTheAnswer() async throws {
        let model = ScriptedModel(info: info) { _ in .init("Two and two make four.</think>\n\n4\nmore text") }
        let reasoner = Reasoner(model: model)
        #expect(reasoner.format == .native(open: "<think>\n", close: "</think>"))
        let trace = try await reasoner.answer("What is 2 + 2?", configuration: try ReasoningConfiguration(strategy: .cot))
        #expect(trace.answer == "4")
        #expect(trace.samples.first?.reasoning == "Two and two make four.")
        guard case .continuation(let messages, let prefix)? = model.requests.first?.prompt else {
            Issue.record("expected the assistant turn to be opened with <think>")
            return
        }
        #expect(prefix == "<think>\n")
        #expect(messages.allSatisfy { $0.role != .system })   // no prompted instructions for native thinkers
    }

    @Test func nativeBudgetForcingClosesTheThinkTag() async throws {
        let model = ScriptedModel(info: info) { _ in .init(Array(repeating: "hmm", count: 30).joined(separator: " "), afterInjection: "7") }
        let trace = try await Reasoner(model: model).answer("What is 3 + 4?", configuration: try ReasoningConfiguration(strategy: .cot, maxReasoningTokens: 10))
        let chain = try #require(trace.samples.first)
        #expect(chain.reasoningTokens == 10 && chain.budgetForced && !chain.forcedAtEnd)
        #expect(trace.answer == "7")
    }
}

@Suite struct AgreementWindowTests {
    @Test func selfConsistencyStopsWhenTheFirstChainsAgree() async throws {
        let model = ScriptedModel { _ in .init("Thinking.\nAnswer: 7") }
        let configuration = try ReasoningConfiguration(strategy: .selfConsistency, samples: 8, agreementWindow: 3)
        let trace = try await Reasoner(model: model).answer("What is 3 + 4?", configuration: configuration)
        #expect(trace.samples.count == 3)
        #expect(trace.summaries.contains { $0.text.contains("stopped early after 3 of 8") })
    }

    @Test func aDisagreementResetsTheWindow() async throws {
        let answers = ["7", "8", "7", "7", "7", "7", "7", "7"]
        let model = ScriptedModel { call in .init("Thinking.\nAnswer: \(answers[call.sequence])") }
        let configuration = try ReasoningConfiguration(strategy: .selfConsistency, samples: 8, agreementWindow: 3)
        let trace = try await Reasoner(model: model).answer("What is 3 + 4?", configuration: configuration)
        // The window never fires (the second chain disagreed); the leader rule decides after 6:
        // five 7s against one 8 with two chains left.
        #expect(trace.samples.count == 6)
        #expect(trace.extractedAnswer == "7")
    }
}
