import PonderReasoning

/// The exact calculator inside the reasoning: when a chain has written an arithmetic expression
/// followed by `=`, the result is computed exactly (``ArithmeticEvaluator``) and forced into the
/// chain right after the `=`, so the model goes on with the right number. A failure (division by
/// zero, a number too large) is forced in as a short bracketed error instead.
///
/// ```swift
/// let tools = try ToolUse(tools: [CalculatorTool()], mode: .automatic)
/// ```
public struct CalculatorTool: ReasoningTool {
    public let name = "calculator"
    public let invitation = """
        A calculator fills in arithmetic for you: write the expression followed by "=" \
        (for example "23 + 45 =") and the exact result appears after it.
        """

    /// Creates the calculator.
    public init() {}

    public func makeSession() -> any ToolSession { CalculatorSession() }

    public func summary(of call: ToolCall) -> (title: String, text: String) {
        if call.isError { return ("Computing \(call.input)", "The calculator could not: \(call.result).") }
        return ("Computing \(call.input) = \(call.result)", "The calculator computed it exactly.")
    }
}

/// Watches one chain for `expression =`.
final class CalculatorSession: ToolSession {
    /// Length of the text when the last `=` was handled, so each `=` is answered once.
    private var handledLength = 0

    func invocation(after text: String, inAnswer: Bool) -> ToolInvocation? {
        guard let call = CalculatorSession.call(in: text, after: &handledLength) else { return nil }
        return .immediate(call)
    }

    /// The call the text ends with, if it ends with `expression =` not yet handled.
    static func call(in text: String, after handledLength: inout Int) -> ToolCall? {
        let length = text.utf8.count
        guard length > handledLength else { return nil }
        let trimmed = text.reversed().drop { $0 == " " || $0 == "\t" }
        guard trimmed.first == "=" else { return nil }
        handledLength = length
        let beforeEquals = String(trimmed.dropFirst().reversed())
        // `==`, `<=`, `>=`, `!=` are comparisons, not requests; inside an open code block, code.
        if let previous = beforeEquals.last, "=<>!".contains(previous) { return nil }
        if beforeEquals.components(separatedBy: "```").count % 2 == 0 { return nil }
        guard let expression = expression(endingAt: beforeEquals) else { return nil }
        let spacing = text.last == "=" ? " " : ""
        do {
            let value = try ArithmeticEvaluator.evaluate(expression)
            return ToolCall(tool: "calculator", input: expression, result: value.description,
                            injected: spacing + value.description, isError: false)
        } catch {
            return ToolCall(tool: "calculator", input: expression, result: error.description,
                            injected: spacing + "[calculator: \(error.description)]", isError: true)
        }
    }

    /// The longest arithmetic expression (with at least one operator) that ends the text, within
    /// its last line and after its last `=`; nil when there is none.
    static func expression(endingAt text: String) -> String? {
        let segmentStart = text.lastIndex { $0 == "\n" || $0 == "=" }.map { text.index(after: $0) } ?? text.startIndex
        let segment = Array(text[segmentStart...].suffix(ArithmeticEvaluator.maxLength))
        for start in segment.indices {
            let c = segment[start]
            guard c.isNumber || "(-−$.[".contains(c) else { continue }
            if start > 0, segment[start - 1].isNumber || segment[start - 1] == "." || segment[start - 1].isLetter { continue }
            let candidate = String(segment[start...]).trimmingSpaces
            do {
                if try ArithmeticEvaluator.parse(candidate).operators > 0 { return candidate }
            } catch .divisionByZero, .tooLarge {
                return candidate   // arithmetic that fails: the chain is told why
            } catch {
                continue
            }
        }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
