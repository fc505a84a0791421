import PonderCore
import PonderReasoning
import PonderTesting
import Testing

/// The reasoning contract its users read: the public plan, the events (started, usage, streamed
/// direct answers), per-chain finish reasons, injection purposes and `sampleChains`.
@Suite struct ReasoningContractTests {
    static func events(_ model: ScriptedModel, _ configuration: ReasoningConfiguration,
                       question: String = "What is 2 + 2?") async throws -> [ReasoningEvent] {
        var events: [ReasoningEvent] = []
        for try await event in Reasoner(model: model).reason(about: [.user(question)], configuration: configuration) {
            events.append(event)
        }
        return events
    }

    static func trace(_ events: [ReasoningEvent]) throws -> ReasoningTrace {
        guard case .done(let trace) = events.last else { throw ContractError.noTrace }
        return trace
    }

    enum ContractError: Error { case noTrace }

    // MARK: The plan

    @Test func thePlanIsTheOnePlaceForStrategyChainsAndBudgets() throws {
        let none = try ReasoningConfiguration(effort: .none).plan
        #expect(none.isDirect && none.chains == 1 && none.answerBudget == 96 && none.plannedTokens == 96)
        let medium = try ReasoningConfiguration(effort: .medium).plan
        #expect(medium.strategy == .selfConsistency && medium.chains == 4 && medium.reasoningBudget == 256)
        #expect(medium.plannedTokens == 4 * (256 + 96) && medium.temperature == 0.3 && !medium.isDirect)
        // auto plans for high until it resolves.
        let auto = try ReasoningConfiguration(effort: .auto).plan
        #expect(auto.chains == 8 && auto.reasoningBudget == 384)
        let revise = try ReasoningConfiguration(effort: .high, strategy: .checkAndRevise).plan
        #expect(revise.chains == 1 && revise.plannedTokens == (384 + 96) * 3)
        #expect(try ReasoningConfiguration(effort: .low, maxReasoningTokens: 8).plan.reasoningBudget == 8)
        #expect(ReasoningConfiguration.answersDirectly(effort: .none, strategy: nil))
        #expect(ReasoningConfiguration.answersDirectly(effort: .high, strategy: .direct))
        #expect(!ReasoningConfiguration.answersDirectly(effort: .none, strategy: .cot))
    }

    @Test func aTotalCapIsSplitAcrossThePlannedChainsOnce() throws {
        // 400 tokens over medium's 4 chains: 100 each, a third of it for the answer.
        let medium = try ReasoningConfiguration(effort: .medium, maxTotalTokens: 400)
        #expect(medium.plan.answerBudget == 33 && medium.plan.reasoningBudget == 67)
        #expect(medium.plan.maxTotalTokens == 400)
        // auto splits against high's 8 chains, and the budgets hold whatever it resolves to.
        let auto = try ReasoningConfiguration(effort: .auto, maxTotalTokens: 800)
        #expect(auto.maxAnswerTokens == 33 && auto.maxReasoningTokens == 67)
        // The effort's budget and the answer limit still cap the shares.
        let big = try ReasoningConfiguration(effort: .low, maxAnswerTokens: 10, maxTotalTokens: 100_000)
        #expect(big.plan.answerBudget == 10 && big.plan.reasoningBudget == 192)
        // A direct reply gets the whole cap as its answer.
        #expect(try ReasoningConfiguration(effort: .none, maxTotalTokens: 700).plan.answerBudget == 700)
    }

    @Test func badContractSettingsAreRefusedInOneLine() {
        #expect(throws: ReasoningError.self) { try ReasoningConfiguration(topP: 1.5) }
        #expect(throws: ReasoningError.self) { try ReasoningConfiguration(stop: [""]) }
        #expect(throws: ReasoningError.self) { try ReasoningConfiguration(maxTotalTokens: 0) }
        #expect(throws: ReasoningError.self) { try ReasoningConfiguration(topP: .nan) }
    }

    // MARK: Events

    @Test func startedComesOnceBeforeAnyModelOutputAndUsageIsReported() async throws {
        let model = ScriptedModel { call in .init("Two and two make four.\nAnswer: \(call.sequence == 1 ? 5 : 4)") }
        let all = try await Self.events(model, try ReasoningConfiguration(effort: .medium, samples: 3))
        let started = all.indices.filter { if case .started = all[$0] { return true }; return false }
        #expect(started.count == 1)
        let firstOutput = all.firstIndex { event in
            switch event { case .reasoning, .answer, .usage, .toolOutput: return true; default: return false }
        }
        #expect(try #require(started.first) < (firstOutput ?? .max))
        let usages = all.compactMap { event -> Usage? in if case .usage(let usage) = event { return usage }; return nil }
        let trace = try Self.trace(all)
        #expect(usages.count >= 1)
        #expect(trace.usage.promptTokens == usages.first?.promptTokens)
        let sampled = usages.reduce(0) { $0 + $1.completionTokens }
        #expect(sampled == trace.samples.reduce(0) { $0 + $1.reasoningTokens + $1.answerTokens })
    }

    @Test func aPromptThatFailsGetsNoStartedEvent() async throws {
        struct Refusing: LanguageModel {
            var info: ModelInfo { ModelInfo(name: "refusing", contextLength: 16) }
            func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
                AsyncThrowingStream { $0.finish(throwing: PonderError.contextFull(promptTokens: 99, contextLength: 16)) }
            }
        }
        var sawStarted = false
        await #expect(throws: PonderError.self) {
            for try await event in Reasoner(model: Refusing()).reason(about: [.user("Hi?")], configuration: try ReasoningConfiguration(effort: .low)) {
                if case .started = event { sawStarted = true }
            }
        }
        #expect(!sawStarted)
    }

    @Test func aDirectReplyStreamsThroughTheReasonerTrimmedAndStopped() async throws {
        let model = ScriptedModel { _ in .init("  Four is the sum. STOP and more") }
        let all = try await Self.events(model, try ReasoningConfiguration(effort: .none, stop: ["STOP"]))
        let answers = all.compactMap { event -> String? in if case .answer(let text) = event { return text }; return nil }
        let trace = try Self.trace(all)
        #expect(answers.count > 1)   // token by token, not once at the end
        #expect(answers.joined() == trace.answer)
        #expect(trace.answer == "Four is the sum.")
        #expect(trace.finishReason == .stop && trace.strategy == .direct)
        // The engine applied the stop string (it saw it in the request), not a second cut.
        #expect(model.requests.first?.sampling.stop == ["STOP"])
    }

    @Test func aChainAnswerIsCutAtAStopStringInTheStreamAndTheTrace() async throws {
        let model = ScriptedModel { _ in .init("Two and two make four.\nAnswer: 4 END more") }
        let all = try await Self.events(model, try ReasoningConfiguration(effort: .low, stop: ["END"]))
        let answers = all.compactMap { event -> String? in if case .answer(let text) = event { return text }; return nil }
        let trace = try Self.trace(all)
        #expect(answers.joined() == trace.answer)
        #expect(trace.answer == "4 ")
        #expect(model.requests.allSatisfy { $0.sampling.stop.isEmpty })   // chains are not stopped by the engine
    }

    // MARK: Finish reasons and injections

    @Test func finishReasonsSayLengthStopAndContentFilter() async throws {
        let long = ScriptedModel { _ in .init("Thinking.\nAnswer: one two three four five six seven eight nine ten") }
        let cut = try Self.trace(try await Self.events(long, try ReasoningConfiguration(effort: .low, maxAnswerTokens: 3, answerForm: .block)))
        #expect(cut.finishReason == .length && cut.samples.first?.finishReason == .length)
        let short = ScriptedModel { _ in .init("Thinking.\nAnswer: 4") }
        let done = try Self.trace(try await Self.events(short, try ReasoningConfiguration(effort: .low)))
        #expect(done.finishReason == .stop && done.samples.first?.finishReason == .stop)
        let refusing = ScriptedModel { _ in .init("Thinking.\nAnswer: 4", yesProbability: 0.9) }
        let refused = try Self.trace(try await Self.events(refusing, try ReasoningConfiguration(effort: .low, policy: "Never say four.")))
        #expect(refused.finishReason == .contentFilter)
    }

    @Test func sampledChainsCarryTheirPromptCompletionAndInjectionPurposes() async throws {
        // Chain 0 runs past its budget (closed by the budget); chain 1 tries to end without an answer.
        let model = ScriptedModel { call in
            call.sequence == 0 ? .init("one two three four five six seven eight nine ten", afterInjection: " 7")
                : .init("short", afterInjection: " 8")
        }
        let configuration = try ReasoningConfiguration(effort: .low, maxReasoningTokens: 4, seed: 9)
        let chains = try await Reasoner(model: model).sampleChains(about: [.user("What is 3 + 4?")], count: 2, configuration: configuration)
        #expect(chains.map(\.sequence) == [0, 1])
        #expect(chains[0].injections.map(\.purpose) == [.budgetClose])
        #expect(chains[1].injections.map(\.purpose) == [.forcedEnd])
        #expect(chains[0].chain.budgetForced && !chains[0].chain.forcedAtEnd)
        #expect(chains[1].chain.budgetForced && chains[1].chain.forcedAtEnd)
        for sample in chains {
            #expect(sample.completion.contains(sample.injections[0].text))
            #expect(sample.completion.hasSuffix(sample.chain.answer))
        }
        // One request, with the chains' exact prompt, seed and count; no vote, verifier or assessment.
        #expect(model.requests.count == 1)
        #expect(model.requests[0].prompt == chains[0].prompt && model.requests[0].count == 2 && model.requests[0].sampling.seed == 9)
        await #expect(throws: ReasoningError.self) {
            _ = try await Reasoner(model: model).sampleChains(about: [.user("Hi?")], count: 0, configuration: configuration)
        }
    }
}
