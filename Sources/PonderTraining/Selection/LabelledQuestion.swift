import PonderCore
import PonderEval
import PonderReasoning

/// One question's sampled chains, each labelled: its answer graded by the answer library, and the
/// training label (the answer, and with a process verifier also every checked step).
public struct LabelledQuestion: Sendable, Hashable {
    /// The problem's id (the split is by problem).
    public var problemID: String
    /// The question the chains answered.
    public var question: String
    /// The chains, as the trace stored them.
    public var chains: [ReasoningChain]
    /// Whether each chain's extracted answer is right.
    public var answerCorrect: [Bool]
    /// What each chain is fitted to: right answer, and sound steps when a process check ran.
    public var labels: [Bool]

    /// Creates a record.
    public init(problemID: String, question: String, chains: [ReasoningChain], answerCorrect: [Bool], labels: [Bool]) {
        self.problemID = problemID
        self.question = question
        self.chains = chains
        self.answerCorrect = answerCorrect
        self.labels = labels
    }

    /// Each chain's P("Yes") when the model judged every chain (best-of-n stores it as `score`).
    public var judge: [Double]? {
        let scores = chains.compactMap(\.score)
        return scores.count == chains.count ? scores : nil
    }

    /// The chains of `trace` graded against `problem`; nil for code problems (graded by tests) or
    /// a trace without chains. With `processVerifier`, a chain is a positive only when its steps
    /// are sound too.
    public init?(trace: ReasoningTrace, problem: EvalProblem, processVerifier: (any ProcessVerifier)?) {
        guard problem.kind != .code, !trace.samples.isEmpty else { return nil }
        let kind = problem.kind.answerKind ?? .text
        let equivalence = AnswerEquivalence.standard
        let correct = trace.samples.map { chain in
            chain.extractedAnswer.map { equivalence.equivalent($0, problem.expected, kind: kind, question: problem.question) } ?? false
        }
        let labels = zip(trace.samples, correct).map { chain, right in
            right && (processVerifier?.verify(reasoning: chain.reasoning).isSound ?? true)
        }
        self.init(problemID: problem.id, question: EvalRunner.question(for: problem), chains: trace.samples,
                  answerCorrect: correct, labels: labels)
    }
}
