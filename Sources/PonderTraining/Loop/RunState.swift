import Foundation

/// The stages of one STaR round, in order. A round's state file records the last stage finished; a
/// resumed run starts at the next one.
public enum RoundStage: Int, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// Nothing done yet.
    case started
    /// K chains sampled and judged for every training problem.
    case sampled
    /// Problems without a kept chain were sampled again with the answer as a hint.
    case rationalized
    /// The kept chains (and replay examples) written as the round's dataset.
    case datasetWritten
    /// The start model converted to F32.
    case converted
    /// The F32 model fine-tuned.
    case trained
    /// The tuned model quantized back and its metadata restored.
    case quantized
    /// The tuned model evaluated on the held-out set.
    case evaluated
    /// Accepted or rejected.
    case decided

    public static func < (lhs: RoundStage, rhs: RoundStage) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .started: return "started"
        case .sampled: return "sampled"
        case .rationalized: return "rationalized"
        case .datasetWritten: return "dataset written"
        case .converted: return "converted"
        case .trained: return "trained"
        case .quantized: return "quantized"
        case .evaluated: return "evaluated"
        case .decided: return "decided"
        }
    }
}

/// Counts of one round's data.
public struct RoundCounts: Sendable, Hashable, Codable {
    /// Training problems sampled.
    public var problems = 0
    /// Chains sampled (first pass).
    public var chainsSampled = 0
    /// Chains kept from the first pass.
    public var chainsKept = 0
    /// Problems with at least one kept chain after the first pass.
    public var problemsSolved = 0
    /// Problems rationalized (no chain kept in the first pass).
    public var problemsRationalized = 0
    /// Chains sampled with a hint.
    public var rationalizationChains = 0
    /// Rationalized chains kept.
    public var rationalizedKept = 0
    /// Replay examples mixed in.
    public var replayExamples = 0
    /// Verdicts of every chain, by name.
    public var verdicts: [String: Int] = [:]

    /// Creates empty counts.
    public init() {}
}

/// The on-disk state of one round (`round-N/round.json`).
public struct RoundState: Sendable, Hashable, Codable {
    /// Round number, from 1.
    public var round: Int
    /// Last stage finished.
    public var stage: RoundStage
    /// The model the round started from (and samples with).
    public var startModel: String
    /// Its held-out accuracy.
    public var startAccuracy: Double
    /// The F32 weights training starts from, once converted.
    public var startF32: String?
    /// Data counts.
    public var counts = RoundCounts()
    /// The fine-tune's report, once trained.
    public var fineTune: FineTuneReport?
    /// The tuned model's held-out result, once evaluated.
    public var evaluation: HeldOutResult?
    /// Whether the tuned model was accepted (better on the held-out set), once decided.
    public var accepted: Bool?
    /// Wall time per stage, in seconds, by stage name.
    public var seconds: [String: Double] = [:]

    /// Creates the state of a round that has not started.
    public init(round: Int, startModel: String, startAccuracy: Double) {
        self.round = round
        self.stage = .started
        self.startModel = startModel
        self.startAccuracy = startAccuracy
    }
}

/// The on-disk state of a whole run (`run.json`).
public struct RunState: Sendable, Hashable, Codable {
    /// Identifies the settings and problems, so a directory is never resumed with other ones.
    public var fingerprint: String
    /// The base model's SHA-256 (64 hex digits); nil in a run written before it was recorded.
    public var baseModelDigest: String?
    /// The base model's held-out result.
    public var baseline: HeldOutResult?
    /// The model the next round starts from: the base or the last accepted round's.
    public var currentModel: String
    /// Its F32 weights when a round produced them (the next round trains from them directly).
    public var currentF32: String?
    /// Its held-out accuracy.
    public var currentAccuracy: Double
    /// Rounds finished (decided).
    public var roundsDone: Int
    /// Whether the run stopped before its last round because held-out accuracy stopped improving.
    public var stoppedEarly: Bool
    /// Whether the run is complete.
    public var finished: Bool
}

/// Held-out accuracy of one model (`cot`, greedy).
public struct HeldOutResult: Sendable, Hashable, Codable {
    /// The model evaluated.
    public var model: String
    /// Problems graded.
    public var count: Int
    /// Problems answered correctly.
    public var correct: Int
    /// Fraction correct.
    public var accuracy: Double
    /// Wilson 95% interval.
    public var low: Double
    /// Wilson 95% interval.
    public var high: Double
    /// Mean reasoning tokens per problem.
    public var meanReasoningTokens: Double
    /// Wall time in seconds.
    public var seconds: Double
    /// The reasoning budget when it is not the run's evaluation budget (the base model given the
    /// trained model's mean reasoning tokens); nil otherwise.
    public var budget: Int? = nil
}
