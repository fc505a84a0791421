import Foundation
import PonderCore

/// A verifier fitted on one model's own labelled chains (`ponder train verifier`), as stored in its
/// versioned JSON file: the model it belongs to (by content), two logistic models (one for a chain
/// among others, one for a chain alone), the lowest-group-confidence percentiles of the training
/// chains (a stopping threshold calibrated beforehand), and the fitting report.
public struct VerifierFile: Sendable, Hashable, Codable {
    /// What every verifier file says it is.
    public static let formatName = "ponder-verifier"
    /// The version this build reads and writes.
    public static let currentVersion = 1

    /// Always `ponder-verifier`.
    public var format: String
    /// The file's version (1).
    public var version: Int
    /// The model whose chains it was fitted on; it is refused for any other.
    public var model: ModelIdentity
    /// When it was fitted (ISO 8601).
    public var created: String
    /// The command that fitted it.
    public var command: String
    /// How training chains were labelled: `answer`, or `answer+process` (the process check as well).
    public var label: String
    /// For a chain among other chains of the same question (best-of-n, confident-vote).
    public var batch: LogisticModel
    /// For a chain alone (check-and-revise): the same fit without the features that need other chains.
    public var single: LogisticModel
    /// The 0th, 5th, … 100th percentiles of the training chains' lowest group confidences (21 values).
    public var confidencePercentiles: [Double]
    /// How well it did on problems held out of the fit.
    public var report: VerifierReport
    /// The rule effort `auto` stops by, fitted on the same chains (nil: `AutoRule.standard`).
    public var auto: AutoRule?

    /// Creates a file's contents.
    public init(model: ModelIdentity, created: String, command: String, label: String, batch: LogisticModel,
                single: LogisticModel, confidencePercentiles: [Double], report: VerifierReport) {
        self.format = Self.formatName
        self.version = Self.currentVersion
        self.model = model
        self.created = created
        self.command = command
        self.label = label
        self.batch = batch
        self.single = single
        self.confidencePercentiles = confidencePercentiles
        self.report = report
    }

    enum CodingKeys: String, CodingKey {
        case format, version, model, created, command, label, batch, single, report, auto
        case confidencePercentiles = "confidence_percentiles"
    }

    /// The file as pretty JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The stopping threshold calibrated beforehand for keeping the `keepFraction` most confident
    /// chains: the (1 − η) percentile of the training chains' lowest group confidences,
    /// interpolated between the stored percentiles.
    public func calibratedThreshold(keepFraction: Double) -> Double? {
        guard confidencePercentiles.count == 21 else { return nil }
        let position = min(max(1 - keepFraction, 0), 1) * 20
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return confidencePercentiles[low] + (confidencePercentiles[high] - confidencePercentiles[low]) * (position - Double(low))
    }
}

/// How a verifier did on the problems held out of its fit.
public struct VerifierReport: Sendable, Hashable, Codable {
    /// One bin of the calibration table: chains whose predicted probability fell in `[low, high)`.
    public struct Bin: Sendable, Hashable, Codable {
        public var low: Double
        public var high: Double
        public var chains: Int
        /// The mean predicted probability of the bin's chains.
        public var predicted: Double
        /// The share of them that were correct.
        public var observed: Double

        public init(low: Double, high: Double, chains: Int, predicted: Double, observed: Double) {
            self.low = low
            self.high = high
            self.chains = chains
            self.predicted = predicted
            self.observed = observed
        }
    }

    /// Problems and chains fitted on.
    public var trainProblems: Int
    public var trainChains: Int
    /// Problems and chains held out (split by problem).
    public var testProblems: Int
    public var testChains: Int
    /// The share of held-out chains labelled correct.
    public var positiveShare: Double
    /// The area under the ROC curve on held-out chains (0.5 is chance), for the batch and single models.
    public var auc: Double
    public var singleAUC: Double
    /// The mean squared error of the predicted probabilities (Brier score) and the expected calibration error.
    public var brier: Double
    public var calibrationError: Double
    /// Ten equal-width bins of predicted probability.
    public var calibration: [Bin]
    /// Held-out problems answered correctly by: the chain the verifier scores highest, the
    /// majority vote, the model's P("Yes") as judge, and any chain (the bound of a perfect verifier).
    public var bestOfN: Double
    public var majority: Double
    public var judgeBestOfN: Double
    public var anyChain: Double
    /// Each feature's own AUC on the held-out chains (how much it separates right from wrong alone).
    public var featureAUC: [String: Double]
    /// The fitted `auto` rule on the held-out problems, when one was fitted.
    public var auto: AutoReport?

    /// The fitted `auto` rule on held-out problems, against always stopping and never stopping.
    public struct AutoReport: Sendable, Hashable, Codable {
        /// Accuracy and mean chains of the rule.
        public var accuracy: Double
        public var meanChains: Double
        /// The majority of the first chains only, and of all chains.
        public var quickMajority: Double
        public var fullMajority: Double
        /// Chains in all.
        public var chains: Int

        public init(accuracy: Double, meanChains: Double, quickMajority: Double, fullMajority: Double, chains: Int) {
            self.accuracy = accuracy
            self.meanChains = meanChains
            self.quickMajority = quickMajority
            self.fullMajority = fullMajority
            self.chains = chains
        }

        enum CodingKeys: String, CodingKey {
            case accuracy, chains
            case meanChains = "mean_chains", quickMajority = "quick_majority", fullMajority = "full_majority"
        }
    }

    public init(trainProblems: Int, trainChains: Int, testProblems: Int, testChains: Int, positiveShare: Double,
                auc: Double, singleAUC: Double, brier: Double, calibrationError: Double, calibration: [Bin],
                bestOfN: Double, majority: Double, judgeBestOfN: Double, anyChain: Double, featureAUC: [String: Double]) {
        self.featureAUC = featureAUC
        self.trainProblems = trainProblems
        self.trainChains = trainChains
        self.testProblems = testProblems
        self.testChains = testChains
        self.positiveShare = positiveShare
        self.auc = auc
        self.singleAUC = singleAUC
        self.brier = brier
        self.calibrationError = calibrationError
        self.calibration = calibration
        self.bestOfN = bestOfN
        self.majority = majority
        self.judgeBestOfN = judgeBestOfN
        self.anyChain = anyChain
    }

    enum CodingKeys: String, CodingKey {
        case auc, brier, calibration, majority
        case trainProblems = "train_problems", trainChains = "train_chains"
        case testProblems = "test_problems", testChains = "test_chains"
        case positiveShare = "positive_share", singleAUC = "single_auc"
        case calibrationError = "calibration_error", bestOfN = "best_of_n"
        case judgeBestOfN = "judge_best_of_n", anyChain = "any_chain", featureAUC = "feature_auc", auto
    }
}
