import Foundation
import PonderCore

/// Enforces the split between reasoning and answer inside one sequence, whatever the model does:
/// it counts reasoning tokens, forces the answer marker in when the budget is spent (budget
/// forcing, as in s1, Muennighoff et al. 2025), and ends the sequence once the answer is complete
/// (end of its line, or its own token limit).
///
/// What it forces in is of two kinds: the thinking format's closing is the format's own markup
/// (`InjectedText.markup`, so `</think>` becomes the model's token when it is one), while a tool's
/// result is data (`InjectedText.plain`): a calculator value or program output containing
/// `<|im_end|>` reaches the model as those characters.
///
/// Mutated only on the engine's decode thread while its sequence runs; read after the sequence's
/// `finished` event, which the stream delivers after the last mutation.
final class ChainSteerer: SequenceSteerer, @unchecked Sendable {
    private let marker: String
    private let forcedClosing: String
    private let reasoningBudget: Int
    private let answerBudget: Int
    private let answerEndsAtNewline: Bool

    /// Text seen so far (model text and injected text).
    private(set) var text = ""
    /// Sampled tokens spent on reasoning (fixed once the answer starts).
    private(set) var reasoningTokens = 0
    /// Whether the engine had to close the reasoning.
    private(set) var forced = false
    /// Whether it did so because the model tried to stop (rather than because the budget ran out).
    private(set) var forcedAtEnd = false
    private var answerStart: String.Index?
    private let toolSessions: [any ToolSession]
    private let maxToolCalls: Int
    private var toolCallsStarted = 0
    private let callLog = ToolCallLog()
    /// Early termination: the running group confidence below which the chain stops.
    private let stopBelow: Double?
    private var meter: ConfidenceMeter
    /// Whether the chain was stopped for low confidence.
    private(set) var stoppedLowConfidence = false

    init(format: ThinkingFormat, reasoningBudget: Int, answerBudget: Int, answerEndsAtNewline: Bool,
         tools: [any ReasoningTool] = [], maxToolCalls: Int = 8, stopBelow: Double? = nil, confidenceWindow: Int = 64) {
        self.stopBelow = stopBelow
        self.meter = ConfidenceMeter(window: confidenceWindow)
        self.toolSessions = tools.map { $0.makeSession() }
        self.maxToolCalls = maxToolCalls
        self.marker = format.answerMarker
        self.forcedClosing = format.forcedClosing
        self.reasoningBudget = reasoningBudget
        self.answerBudget = answerBudget
        self.answerEndsAtNewline = answerEndsAtNewline
    }

    /// The tool calls made so far (safe to read from any thread).
    var toolCalls: [ToolCall] { callLog.calls }

    /// Tracks the running group confidence; once a full group falls below the threshold, the
    /// next observation stops the chain (its cells are freed at once).
    func observe(confidence: Double) {
        guard let stopBelow, !stoppedLowConfidence else { return }
        meter.append(confidence)
        if meter.hasFullGroup, let group = meter.currentGroup, group < stopBelow { stoppedLowConfidence = true }
    }

    func observe(text newText: String, sampledTokens: Int) -> SteeringDecision {
        if stoppedLowConfidence { return .stop }
        text += newText
        let decision = splitDecision(sampledTokens: sampledTokens)
        guard decision == .proceed, !newText.isEmpty, !toolSessions.isEmpty, toolCallsStarted < maxToolCalls else { return decision }
        return toolDecision()
    }

    /// Asks each tool whether the chain just called it; answers the first call.
    private func toolDecision() -> SteeringDecision {
        for session in toolSessions {
            guard let invocation = session.invocation(after: text, inAnswer: answerStart != nil) else { continue }
            toolCallsStarted += 1
            switch invocation {
            case .immediate(let call):
                callLog.append(call)
                text += call.injected
                // A tool's result is data (a value, program output), never markup.
                return .inject(.plain(call.injected, purpose: .toolResult))
            case .deferred(_, _, let run):
                let log = callLog
                return .injectWhenReady(PendingInjection(.plain, purpose: .toolResult) {
                    let call = await run()
                    log.append(call)
                    return call.injected
                })
            }
        }
        return .proceed
    }

    func didInject(_ injected: String) {
        text += injected
    }

    private func splitDecision(sampledTokens: Int) -> SteeringDecision {
        if answerStart == nil {
            if let range = text.range(of: marker) {
                reasoningTokens = sampledTokens
                answerStart = range.upperBound
            } else if sampledTokens >= reasoningBudget {
                reasoningTokens = sampledTokens
                forced = true
                text += forcedClosing
                answerStart = text.endIndex
                return .inject(.markup(forcedClosing, purpose: .budgetClose))
            } else {
                return .proceed
            }
        }
        guard let answerStart else { return .proceed }
        if sampledTokens - reasoningTokens >= answerBudget { return .stop }
        if answerEndsAtNewline {
            let answer = text[answerStart...].drop { $0 == " " || $0 == "\n" }
            if let newline = answer.firstIndex(of: "\n"), answer[..<newline].contains(where: { !$0.isWhitespace }) {
                return .stop
            }
        }
        return .proceed
    }

    /// An end of text before the answer is refused: the answer marker is forced in instead, so
    /// every chain ends with an answer. After the answer has begun, the end is accepted.
    func willEnd(sampledTokens: Int) -> SteeringDecision {
        guard answerStart == nil else { return .stop }
        reasoningTokens = sampledTokens
        forced = true
        forcedAtEnd = true
        text += forcedClosing
        answerStart = text.endIndex
        return .inject(.markup(forcedClosing, purpose: .forcedEnd))
    }

    /// The reasoning (before the marker) and the answer (after it, first non-empty line when
    /// answers end at a newline), trimmed.
    var parts: (reasoning: String, answer: String) {
        guard let answerStart else { return (text.trimmed, "") }
        var reasoning = String(text[..<answerStart])
        if forced, reasoning.hasSuffix(forcedClosing) {
            reasoning.removeLast(forcedClosing.count)
        } else if reasoning.hasSuffix(marker) {
            reasoning.removeLast(marker.count)
        }
        var answer = String(text[answerStart...]).trimmed
        if answerEndsAtNewline, let newline = answer.firstIndex(of: "\n") { answer = String(answer[..<newline]).trimmed }
        return (reasoning.trimmed, answer)
    }
}

/// A chain's tool calls, appended from the decode thread or a tool's task, read by the runner.
final class ToolCallLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [ToolCall] = []

    func append(_ call: ToolCall) { lock.withLock { entries.append(call) } }
    var calls: [ToolCall] { lock.withLock { entries } }
}

extension StringProtocol {
    /// The string without leading and trailing whitespace and newlines.
    var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(self[first...last])
    }
}
