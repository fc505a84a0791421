import Testing
@testable import PonderEval

@Suite struct ReferenceAnswerTests {
    @Test(arguments: [
        ("so $\\boxed{42}$.", "42"),
        ("\\boxed{\\frac{\\sqrt{3}}{2}}", "\\frac{\\sqrt{3}}{2}"),
        ("first \\boxed{1} then \\boxed{\\{1, 2\\}}", "\\{1, 2\\}"),
        ("\\boxed {x^{2}}", "x^{2}"),
        ("\\boxed 5 apples", "5"),
        ("\\fbox{7}", "7"),
        ("\\boxed{a} and later \\fbox{b}", "b"),
    ])
    func findsTheLastBoxWithNestedBraces(text: String, content: String) {
        #expect(ReferenceAnswer.lastBoxed(in: text) == content)
    }

    @Test func anUnclosedOrMissingBoxIsNil() {
        #expect(ReferenceAnswer.lastBoxed(in: "\\boxed{\\frac{1}{2}") == nil)
        #expect(ReferenceAnswer.lastBoxed(in: "no box") == nil)
        #expect(ReferenceAnswer.lastBoxed(in: "\\boxedx{1}") == nil)
    }

    @Test(arguments: [
        ("72", "72"), ("1,234", "1234"), ("-3", "-3"), ("0.50", "0.5"), ("\\frac{3}{4}", "0.75"),
        ("-\\frac{1}{3}", "-1/3"), ("$18$", "18"), ("\\$5", "5"), ("50\\%", "50%"), ("30^\\circ", "30"),
        ("10\\text{ cm}", "10"), ("10,\\!080", "10080"), ("2 1/2", "2.5"),
    ])
    func readsWholeNumbers(text: String, canonical: String) {
        #expect(ReferenceAnswer.number(in: text) == canonical)
    }

    @Test(arguments: ["\\sqrt{2}", "(1, 2)", "1, 2", "3-4", "x + 1", "\\text{(B)}", "2^{10}", "\\pi", "", "five"])
    func leavesNonNumbersAsText(text: String) {
        #expect(ReferenceAnswer.number(in: text) == nil)
        #expect(ReferenceAnswer.math(text).kind == .text)
    }

    @Test func detectsFormatsFromFieldNames() {
        #expect(DatasetFormat(detectingFrom: ["question", "answer"]) == .gsm8k)
        #expect(DatasetFormat(detectingFrom: ["question", "choices", "answer"]) == .multipleChoice)
        #expect(DatasetFormat(detectingFrom: ["problem", "solution", "level", "type"]) == .math)
        #expect(DatasetFormat(detectingFrom: ["problem", "answer"]) == .math)
        #expect(DatasetFormat(detectingFrom: ["task_id", "prompt", "entry_point", "test"]) == .humanEval)
        #expect(DatasetFormat(detectingFrom: ["text"]) == nil)
    }
}
