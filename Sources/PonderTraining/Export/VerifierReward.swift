import PonderReasoning

/// Ponder's verifier as a reward for reinforcement learning (GRPO): 1 when a completion's final
/// answer is equivalent to the reference and no checked step is false, otherwise 0.
///
/// ```swift
/// let reward = VerifierReward(processVerifier: TrainingVerifiers.arithmetic)
/// reward.score(completion: "1. 23 + 45 = 68\nAnswer: 68", answer: "68", question: "What is 23 + 45?")   // 1
/// ```
public struct VerifierReward: Sendable {
    /// Checks the steps; nil checks the outcome only.
    public let processVerifier: (any ProcessVerifier)?
    /// Grades final answers.
    public let equivalence: AnswerEquivalence

    /// Creates a reward.
    public init(processVerifier: (any ProcessVerifier)?, equivalence: AnswerEquivalence = .standard) {
        self.processVerifier = processVerifier
        self.equivalence = equivalence
    }

    /// The reward of one completion.
    public func score(completion: String, answer: String, question: String) -> Double {
        let kind = AnswerKind(guessingFrom: question)
        guard let extracted = equivalence.extractor.extract(from: completion, kind: kind),
              equivalence.equivalent(extracted.description, answer, kind: kind, question: question) else { return 0 }
        if let processVerifier, !processVerifier.verify(reasoning: completion).isSound { return 0 }
        return 1
    }
}
