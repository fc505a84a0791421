import PonderCore

/// A rule that picks one answer from chains already sampled, with the strategies' own code: for
/// measuring selection rules against each other over exactly the same chains (`ponder eval select`).
///
/// ```swift
/// let answer = ChainSelection.confidentVote(keepFraction: 0.1).answer(from: trace.samples, question: question)
/// ```
public enum ChainSelection: Sendable {
    /// Self-consistency: the most common extracted answer.
    case majority
    /// confident-vote: the most confident share of the chains, votes weighted by lowest group confidence.
    case confidentVote(keepFraction: Double)
    /// Best-of-n by each chain's stored score (the verifier the run used, such as the model's P("Yes")).
    case storedScore
    /// Best-of-n with a trained verifier (P("Yes") read from the stored scores when it uses it).
    case trainedVerifier(TrainedVerifier)
    /// confident-vote with a trained verifier: the most probable share kept, votes weighted by it.
    case verifierVote(TrainedVerifier, keepFraction: Double)

    /// The extracted answer the rule picks; nil when no chain has one.
    public func answer(from chains: [ReasoningChain], question: String) -> String? {
        let finished = chains.filter { $0.stoppedLowConfidence != true }
        switch self {
        case .majority:
            var vote = MajorityVote(total: finished.count)
            for chain in finished { vote.record(chain.extractedAnswer) }
            return vote.leader?.answer
        case .confidentVote(let keepFraction):
            return WeightedTally(finished.map { var chain = $0; chain.score = nil; return chain }, keepFraction: keepFraction).leader
        case .storedScore:
            return finished.filter { $0.score != nil }.max { ($0.score ?? 0) < ($1.score ?? 0) }?.extractedAnswer
        case .trainedVerifier(let verifier):
            let scores = Self.scores(finished, question: question, verifier: verifier)
            return scores.indices.max { scores[$0] < scores[$1] }.flatMap { finished[$0].extractedAnswer }
        case let .verifierVote(verifier, keepFraction):
            let scores = Self.scores(finished, question: question, verifier: verifier)
            let scored = zip(finished, scores).map { chain, score in var copy = chain; copy.score = score; return copy }
            return WeightedTally(scored, keepFraction: keepFraction).leader
        }
    }

    private static func scores(_ chains: [ReasoningChain], question: String, verifier: TrainedVerifier) -> [Double] {
        let judge = chains.allSatisfy { $0.score != nil } ? chains.map { $0.score ?? 0.5 } : nil
        return verifier.probabilities(for: chains, question: question, judge: judge)
    }
}
