import PonderReasoning
import Testing
@testable import PonderTools

/// When the calculator answers a chain, and with what.
@Suite struct CalculatorSessionTests {
    private func call(_ text: String, inAnswer: Bool = false) -> ToolCall? {
        let session = CalculatorSession()
        guard case .immediate(let call)? = session.invocation(after: text, inAnswer: inAnswer) else { return nil }
        return call
    }

    @Test func computesTheExpressionBeforeEquals() throws {
        let result = try #require(call("Step 1: Add the numbers. 23 + 45 ="))
        #expect(result.input == "23 + 45" && result.result == "68" && result.injected == " 68" && !result.isError)
    }

    @Test func noSpaceIsAddedAfterATrailingSpace() throws {
        #expect(try #require(call("2. 23 + 45 = ")).injected == "68")
    }

    @Test func chainedEqualsUseTheLastSegment() throws {
        #expect(try #require(call("23 + 45 = 68\nThen 68 + 10 =")).input == "68 + 10")
        #expect(try #require(call("23 + 45 = 68 + 10 =")).input == "68 + 10")
    }

    @Test func percentagesAndWords() throws {
        #expect(try #require(call("The tip is 15% of 80 =")).result == "12")
        #expect(call("The total of apples and pears =") == nil)
        #expect(call("Let x = ") == nil)
        #expect(call("2x + 3 =") == nil)
        #expect(call("The answer is 45 =") == nil)   // a bare number is not a computation
    }

    @Test func comparisonsAndCodeAreLeftAlone() {
        #expect(call("if a + b ==") == nil)
        #expect(call("3 + 4 <=") == nil)
        #expect(call("```python\ny = 3 + 4 =") == nil)
    }

    @Test func divisionByZeroIsInjectedAsAToolError() throws {
        let result = try #require(call("So 10 / (5 - 5) ="))
        #expect(result.isError && result.injected == " [calculator: division by zero]")
    }

    @Test func eachEqualsIsAnsweredOnce() {
        let session = CalculatorSession()
        #expect(session.invocation(after: "1 + 1 =", inAnswer: false) != nil)
        #expect(session.invocation(after: "1 + 1 =", inAnswer: false) == nil)
        #expect(session.invocation(after: "1 + 1 = 2, 2 * 3 =", inAnswer: false) != nil)
    }
}

