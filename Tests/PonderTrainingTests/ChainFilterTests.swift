import PonderCore
import Testing
@testable import PonderTraining

@Suite struct ChainFilterTests {
    let filter = ChainFilter(processVerifier: ArithmeticProcessVerifier(
        evaluator: TableEvaluator(table: ["23 + 45": 68, "60 + 8": 68, "34 - 32": 2])))

    func chain(_ reasoning: String, answer: String, forced: Bool = false, atEnd: Bool = false) -> SampledChain {
        SampledChain(messages: [.user("What is 23 + 45?")], completion: reasoning + "\nAnswer: " + answer, reasoning: reasoning,
                     answer: " " + answer, extractedAnswer: answer.isEmpty ? nil : answer, budgetForced: forced,
                     forcedAtEnd: atEnd, sequence: 0, seed: 0)
    }

    func judge(_ chains: [SampledChain], rationalized: Bool = false) -> [ChainVerdict] {
        var kept = Set<String>()
        return filter.judge(chains, expected: "68", kind: .number, question: "What is 23 + 45?", rationalized: rationalized, keptSoFar: &kept)
    }

    @Test func keepsCorrectSoundChainsAndDropsDuplicates() {
        let good = chain("1. 23 + 45 = 68", answer: "68")
        let sameUpToSpacing = chain("1.  23 + 45 =  68", answer: "68")
        #expect(judge([good, sameUpToSpacing]) == [.kept, .duplicate])
    }

    @Test func dropsWrongAndMissingAnswers() {
        #expect(judge([chain("1. 23 + 45 = 68", answer: "70"), chain("1. 23 + 45 = 68", answer: "")]) == [.wrongAnswer, .noAnswer])
    }

    @Test func dropsTheRightNumberReachedThroughAFalseStep() {
        // The example: a wrong step, then the right number anyway.
        let lucky = chain("1. 34 - 32 = 12\n2. 60 + 8 = 68", answer: "68")
        #expect(judge([lucky]) == [.falseStep])
    }

    @Test func dropsAnswersNotDerivedInTheChain() {
        #expect(judge([chain("1. I just know it.", answer: "68")]) == [.notDerived])
    }

    @Test func dropsRepetitionLoopsAndUnfinishedChains() {
        let loop = chain(String(repeating: "We add the two numbers together now. ", count: 4) + "23 + 45 = 68", answer: "68")
        let cut = chain("1. 23 + 45 = 68 and then", answer: "68", forced: true)
        let closedByEngine = chain("1. 23 + 45 = 68", answer: "68", forced: true, atEnd: true)
        #expect(judge([loop, cut, closedByEngine]) == [.degenerate, .unfinished, .kept])
    }

    @Test func rationalizedChainsMustNotQuoteTheHint() {
        let quoting = chain("The hint says the answer is 68, so 23 + 45 = 68.", answer: "68")
        let statesFirst = chain("The answer is 68 because 23 + 45 = 68.", answer: "68")
        let works = chain("1. 23 + 45 = 68", answer: "68")
        #expect(judge([quoting, statesFirst, works], rationalized: true) == [.quotesHint, .quotesHint, .kept])
        // The same text is fine when no hint was given.
        #expect(judge([statesFirst]) == [.kept])
    }
}

@Suite struct ExactArithmeticTests {
    @Test func theToolsEvaluatorChecksEveryStep() {
        let verifier = TrainingVerifiers.arithmetic!
        #expect(verifier.verify(reasoning: "1. 23 + 45 = 68\n2. 68 × 2 = 136").isSound)
        let lucky = verifier.verify(reasoning: "the difference between 84 and 34 is 34 - 32 = 12 … so 84 + 34 = 118")
        #expect(lucky.falseStep == "34 - 32 = 12")
        #expect(lucky.checkedSteps == 2)
        #expect(verifier.verify(reasoning: "$1,200 x 3 = $3,600 and 7 / 2 = 3.5").results == ["3600", "3.5"])
    }
}
