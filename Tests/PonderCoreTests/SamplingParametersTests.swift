import PonderCore
import Testing

@Suite struct SamplingParametersTests {
    @Test func defaultsAreGreedy() throws {
        let parameters = try SamplingParameters()
        #expect(parameters.isGreedy)
        #expect(parameters.maxTokens == 512)
    }

    @Test(arguments: [
        (-0.1, 1.0, 10, "temperature"),
        (Double.nan, 1.0, 10, "temperature"),
        (0.5, 0.0, 10, "top_p"),
        (0.5, 1.5, 10, "top_p"),
        (0.5, 1.0, 0, "max_tokens"),
        (0.5, 1.0, -3, "max_tokens"),
    ])
    func invalidValuesAreRefusedByName(temperature: Double, topP: Double, maxTokens: Int, name: String) {
        #expect {
            _ = try SamplingParameters(temperature: temperature, topP: topP, maxTokens: maxTokens)
        } throws: { error in
            guard case let PonderError.invalidParameter(errorName, _, _) = error else { return false }
            return errorName == name
        }
    }

    @Test func otherInvalidValues() {
        #expect(throws: PonderError.self) { try SamplingParameters(topK: -1) }
        #expect(throws: PonderError.self) { try SamplingParameters(minP: 1) }
        #expect(throws: PonderError.self) { try SamplingParameters(repetitionPenalty: 0) }
        #expect(throws: PonderError.self) { try SamplingParameters(stop: ["ok", ""]) }
    }

    @Test func errorMessagesAreOneLine() {
        let error = PonderError.invalidParameter(name: "temperature", value: "-1.0", expected: "a number in 0...100")
        #expect(error.description == "invalid temperature -1.0: expected a number in 0...100")
        #expect(!PonderError.emptyMessages.description.contains("\n"))
    }

    @Test func emptyMessageListIsRefused() {
        #expect(throws: PonderError.emptyMessages) { try GenerationRequest.chat([]) }
    }

    @Test func sequenceCountMustBePositive() {
        #expect(throws: PonderError.self) { try GenerationRequest(prompt: .text("hi"), count: 0) }
    }
}
