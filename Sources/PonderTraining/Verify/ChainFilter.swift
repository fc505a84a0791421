import Foundation
import PonderReasoning

/// Why a chain was kept or dropped.
public enum ChainVerdict: String, Sendable, Hashable, Codable, CaseIterable {
    /// Correct, sound, derived, not a duplicate: training data.
    case kept
    /// No final answer could be read.
    case noAnswer = "no-answer"
    /// The final answer is not the reference.
    case wrongAnswer = "wrong-answer"
    /// An arithmetic (or other checked) step is false.
    case falseStep = "false-step"
    /// The answer does not appear in the reasoning: it was not derived there.
    case notDerived = "not-derived"
    /// The reasoning loops (the same line or phrase over and over).
    case degenerate
    /// The reasoning budget ran out before the model closed its reasoning.
    case unfinished
    /// The same chain (up to spacing and case) was already kept.
    case duplicate
    /// A rationalized chain leans on the hint instead of working the answer out.
    case quotesHint = "quotes-hint"
}

/// Decides which sampled chains become training data: the outcome (answer equivalence with the
/// reference), the process (a pluggable `ProcessVerifier`), and the shape (derived, not degenerate,
/// not a duplicate; for rationalized chains, not quoting the hint).
public struct ChainFilter: Sendable {
    /// Checks the steps; nil checks the outcome only.
    public let processVerifier: (any ProcessVerifier)?
    /// Grades final answers.
    public let equivalence: AnswerEquivalence

    /// Creates a filter.
    public init(processVerifier: (any ProcessVerifier)?, equivalence: AnswerEquivalence = .standard) {
        self.processVerifier = processVerifier
        self.equivalence = equivalence
    }

    /// Phrases that show a chain leaning on the hint it was given.
    public static let hintPhrases = ["hint", "correct answer", "answer is given", "given answer", "we are told the answer", "we know the answer"]

    /// Judges `chains` of one problem in order; `keptSoFar` holds the normalised texts already kept
    /// (for deduplication) and grows with each kept chain.
    public func judge(_ chains: [SampledChain], expected: String, kind: AnswerKind, question: String,
                      rationalized: Bool, keptSoFar: inout Set<String>) -> [ChainVerdict] {
        chains.map { chain in
            let verdict = judgeOne(chain, expected: expected, kind: kind, question: question, rationalized: rationalized)
            guard verdict == .kept else { return verdict }
            let key = Self.dedupeKey(chain.completion)
            guard keptSoFar.insert(key).inserted else { return .duplicate }
            return .kept
        }
    }

    func judgeOne(_ chain: SampledChain, expected: String, kind: AnswerKind, question: String, rationalized: Bool) -> ChainVerdict {
        guard let extracted = chain.extractedAnswer else { return .noAnswer }
        guard equivalence.equivalent(extracted, expected, kind: kind, question: question) else { return .wrongAnswer }
        if chain.budgetForced, !chain.forcedAtEnd { return .unfinished }
        if Self.isDegenerate(chain.reasoning) { return .degenerate }
        let verdict = processVerifier?.verify(reasoning: chain.reasoning)
        if let verdict, !verdict.isSound { return .falseStep }
        if rationalized, Self.quotesHint(chain.reasoning, answer: expected, kind: kind, equivalence: equivalence) { return .quotesHint }
        let derivedByStep = verdict?.results.contains { equivalence.equivalent($0, expected, kind: kind, question: question) } ?? false
        if !derivedByStep, !mentions(chain.reasoning, expected, kind: kind, question: question) { return .notDerived }
        return .kept
    }

    // MARK: Rules

    /// Spacing- and case-insensitive text used to find duplicates.
    public static func dedupeKey(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether reasoning loops: a non-trivial line three times or more, or a run of six words that
    /// occurs three times or more.
    public static func isDegenerate(_ reasoning: String) -> Bool {
        var lineCounts: [String: Int] = [:]
        for line in reasoning.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.count >= 8 else { continue }
            lineCounts[trimmed, default: 0] += 1
            if lineCounts[trimmed]! >= 3 { return true }
        }
        let words = reasoning.lowercased().split(whereSeparator: { $0.isWhitespace })
        guard words.count >= 18 else { return false }
        var grams: [ArraySlice<Substring>: Int] = [:]
        for start in 0...(words.count - 6) {
            let gram = words[start..<(start + 6)]
            grams[gram, default: 0] += 1
            if grams[gram]! >= 3 { return true }
        }
        return false
    }

    /// Whether a rationalized chain leans on its hint: it names the hint, or states the answer before
    /// any step arrives at it (its first mention of the answer does not follow an `=`).
    public static func quotesHint(_ reasoning: String, answer: String, kind: AnswerKind, equivalence: AnswerEquivalence) -> Bool {
        let lowered = reasoning.lowercased()
        if hintPhrases.contains(where: { lowered.contains($0) }) { return true }
        guard kind == .number else { return false }
        for match in numberMatches(in: reasoning) where equivalence.equivalent(match.text, answer, kind: .number) {
            let before = reasoning[..<match.range.lowerBound].trimmingCharacters(in: .whitespaces)
            return !(before.hasSuffix("=") || before.hasSuffix("= $") || before.hasSuffix("$"))
        }
        return false
    }

    private func mentions(_ reasoning: String, _ expected: String, kind: AnswerKind, question: String) -> Bool {
        guard kind == .number else {
            return reasoning.lowercased().contains(expected.lowercased())
        }
        return Self.numberMatches(in: reasoning).contains { equivalence.equivalent($0.text, expected, kind: .number, question: question) }
    }

    static func numberMatches(in text: String) -> [(text: String, range: Range<String.Index>)] {
        guard let pattern = try? NSRegularExpression(pattern: #"-?\d[\d,]*(?:\.\d+)?"#) else { return [] }
        let nsRange = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: nsRange).compactMap { match in
            guard let range = Range(match.range, in: text) else { return nil }
            return (String(text[range]).replacingOccurrences(of: ",", with: ""), range)
        }
    }
}
