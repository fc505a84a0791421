import Foundation
import PonderCore

/// A property of a reasoning chain that exists without a bigger model, used by a trained verifier
/// (`TrainedVerifier`). The raw value is the name stored in a verifier file.
public enum ChainFeature: String, Sendable, Hashable, Codable, CaseIterable {
    /// DeepConf's mean token confidence (0 when the backend reports none).
    case meanConfidence = "mean_confidence"
    /// DeepConf's lowest group confidence.
    case lowestGroupConfidence = "lowest_group_confidence"
    /// DeepConf's tail confidence.
    case tailConfidence = "tail_confidence"
    /// log(1 + sampled reasoning tokens).
    case logReasoningTokens = "log_reasoning_tokens"
    /// 1 when the reasoning budget ran out and the engine closed the reasoning.
    case budgetRanOut = "budget_ran_out"
    /// 1 when the model tried to end without an answer line and the engine forced one.
    case forcedAtEnd = "forced_at_end"
    /// 1 when the answer ran to its token limit.
    case answerCutOff = "answer_cut_off"
    /// The number of tool calls (at most 8 counted).
    case toolCalls = "tool_calls"
    /// 1 when the final answer equals a tool's (non-error) result in the chain.
    case answerIsToolResult = "answer_is_tool_result"
    /// 1 when the final answer is one of the numbers in the question.
    case answerInQuestion = "answer_in_question"
    /// 1 when no final answer could be extracted.
    case noAnswer = "no_answer"
    /// The share of the other chains of the same question with the same final answer (0 alone).
    case agreement
    /// The model's own judgement, P("Yes") for "Is the proposed answer correct?" (`ModelJudge`).
    case probabilityOfYes = "p_yes"

    /// Whether the feature needs the other chains of the question (a single chain has none).
    public var needsOtherChains: Bool { self == .agreement }

    /// Whether the feature needs an extra model call per chain.
    public var needsJudge: Bool { self == .probabilityOfYes }
}

/// The features of every chain of one question, computed together (agreement compares them).
///
/// ```swift
/// let rows = ChainFeatures.rows(for: trace.samples, question: question, judge: nil)
/// rows[0][.agreement]   // 0.43: 3 of the other 7 chains gave the same answer
/// ```
public enum ChainFeatures {
    /// One row per chain, in order. `judge` holds each chain's P("Yes") when the model judged
    /// them; without it the feature is 0.5 (no opinion).
    public static func rows(for chains: [ReasoningChain], question: String, judge: [Double]?) -> [[ChainFeature: Double]] {
        let normalizer = AnswerNormalizer(question: question)
        let questionNumbers = numbers(in: question)
        let answers = chains.map(\.extractedAnswer)
        return chains.enumerated().map { index, chain in
            var row: [ChainFeature: Double] = [:]
            row[.meanConfidence] = chain.confidence?.mean ?? 0
            row[.lowestGroupConfidence] = chain.confidence?.lowestGroup ?? 0
            row[.tailConfidence] = chain.confidence?.tail ?? 0
            row[.logReasoningTokens] = log(1 + Double(max(chain.reasoningTokens, 0)))
            row[.budgetRanOut] = chain.budgetForced && !chain.forcedAtEnd ? 1 : 0
            row[.forcedAtEnd] = chain.forcedAtEnd ? 1 : 0
            row[.answerCutOff] = chain.finishReason == .length ? 1 : 0
            row[.toolCalls] = Double(min(chain.toolCalls.count, 8))
            let answer = chain.extractedAnswer
            row[.noAnswer] = answer == nil ? 1 : 0
            row[.answerIsToolResult] = answer.map { answer in
                chain.toolCalls.contains { !$0.isError && sameValue(normalizer.normalize($0.result), answer) }
            } == true ? 1 : 0
            row[.answerInQuestion] = answer.map { answer in questionNumbers.contains { sameValue($0, answer) } } == true ? 1 : 0
            let others = answers.enumerated().filter { $0.offset != index }.map(\.element)
            if let answer, !others.isEmpty {
                row[.agreement] = Double(others.filter { $0 == answer }.count) / Double(others.count)
            } else {
                row[.agreement] = 0
            }
            row[.probabilityOfYes] = judge.map { $0.indices.contains(index) ? $0[index] : 0.5 } ?? 0.5
            return row
        }
    }

    /// The numbers written in `text` ("1,250" as 1250), as strings.
    static func numbers(in text: String) -> [String] {
        var found: [String] = []
        var current = ""
        for character in text + " " {
            if character.isASCII, character.isNumber || (!current.isEmpty && (character == "," || character == ".")) {
                current.append(character)
            } else if !current.isEmpty {
                while let last = current.last, last == "," || last == "." { current.removeLast() }
                found.append(current.replacingOccurrences(of: ",", with: ""))
                current = ""
            }
        }
        return found
    }

    /// Whether two answers are the same value: equal numbers when both parse, else equal text.
    static func sameValue(_ a: String?, _ b: String) -> Bool {
        guard let a else { return false }
        if let x = Double(a.replacingOccurrences(of: ",", with: "")), let y = Double(b.replacingOccurrences(of: ",", with: "")) {
            return x == y
        }
        return a == b
    }
}
