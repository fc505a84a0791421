import Foundation
import PonderCore
import PonderReasoning

/// Fits a `VerifierFile` on labelled chains, split by problem: the fit sees only the training
/// problems, and the report is measured on the rest.
///
/// ```swift
/// let (train, test) = VerifierFit.split(questions, testShare: 0.25)
/// let file = try VerifierFit(features: ChainFeature.allCases).fit(train: train, test: test, model: identity,
///                                                                  command: "ponder train verifier", label: "answer")
/// ```
public struct VerifierFit: Sendable {
    /// The features of the batch model; the single model drops those that need other chains.
    public var features: [ChainFeature]
    /// The L2 penalty per row on the standardized weights.
    public var l2: Double

    /// Creates a fit over `features`.
    public init(features: [ChainFeature] = ChainFeature.allCases, l2: Double = 1e-2) {
        self.features = features
        self.l2 = l2
    }

    /// Splits questions by problem: a problem is held out when the FNV-1a hash of its id falls in
    /// the `testShare` (so the split never depends on order, and a problem's chains stay together).
    public static func split(_ questions: [LabelledQuestion], testShare: Double) -> (train: [LabelledQuestion], test: [LabelledQuestion]) {
        var train: [LabelledQuestion] = []
        var test: [LabelledQuestion] = []
        for question in questions {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in question.problemID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            if Double(hash % 10_000) / 10_000 < testShare { test.append(question) } else { train.append(question) }
        }
        return (train, test)
    }

    /// Fits both models on `train` and reports on `test`.
    /// - Throws: `TrainingError.verifierFit` when the training chains are all right or all wrong.
    public func fit(train: [LabelledQuestion], test: [LabelledQuestion], model: ModelIdentity, command: String,
                    label: String, created: Date = Date()) throws -> VerifierFile {
        let judged = train.allSatisfy { $0.judge != nil } && test.allSatisfy { $0.judge != nil }
        let batchFeatures = features.filter { judged || !$0.needsJudge }
        let singleFeatures = batchFeatures.filter { !$0.needsOtherChains }
        let (rows, labels, weights) = Self.table(train)
        guard let batch = LogisticModel.fit(features: batchFeatures, rows: rows, labels: labels, l2: l2, rowWeights: weights) else {
            throw TrainingError.verifierFit("the training chains are all right or all wrong (\(labels.count) chains); sample more problems")
        }
        // The single model sees each chain as if alone: agreement is absent from its features.
        guard let single = LogisticModel.fit(features: singleFeatures, rows: rows, labels: labels, l2: l2, rowWeights: weights) else {
            throw TrainingError.verifierFit("the training chains are all right or all wrong")
        }
        let lows = train.flatMap { $0.chains.compactMap { $0.confidence?.lowestGroup } }.sorted()
        let percentiles = (0...20).map { Quantile.of(lows, Double($0) / 20) ?? 0 }
        let verifier = TrainedVerifier(file: VerifierFile(
            model: model, created: ISO8601DateFormatter().string(from: created), command: command, label: label,
            batch: batch, single: single, confidencePercentiles: percentiles, report: Self.emptyReport))
        var file = verifier.file
        file.report = Self.report(verifier: verifier, train: train, test: test)
        let quick = 4
        if train.allSatisfy({ $0.chains.count > quick }), !test.isEmpty {
            let rule = AutoRuleFit.fit(train, quickChains: quick)
            file.auto = rule
            file.report.auto = AutoRuleFit.report(rule, test: test)
        }
        return file
    }

    /// Every chain's features, label and weight (1 / chains of its question, so each problem counts once).
    static func table(_ questions: [LabelledQuestion]) -> (rows: [[ChainFeature: Double]], labels: [Bool], weights: [Double]) {
        var rows: [[ChainFeature: Double]] = []
        var labels: [Bool] = []
        var weights: [Double] = []
        for question in questions {
            rows += ChainFeatures.rows(for: question.chains, question: question.question, judge: question.judge)
            labels += question.labels
            weights += Array(repeating: 1 / Double(question.chains.count), count: question.chains.count)
        }
        return (rows, labels, weights)
    }

    static let emptyReport = VerifierReport(trainProblems: 0, trainChains: 0, testProblems: 0, testChains: 0, positiveShare: 0,
                                            auc: 0.5, singleAUC: 0.5, brier: 0, calibrationError: 0, calibration: [],
                                            bestOfN: 0, majority: 0, judgeBestOfN: 0, anyChain: 0, featureAUC: [:])

    /// The report of `verifier` on the held-out `test` questions.
    static func report(verifier: TrainedVerifier, train: [LabelledQuestion], test: [LabelledQuestion]) -> VerifierReport {
        var scores: [Double] = []
        var singleScores: [Double] = []
        var labels: [Bool] = []
        var featureValues: [ChainFeature: [Double]] = [:]
        var picked = 0, majority = 0, judgePicked = 0, any = 0
        for question in test {
            let probabilities = verifier.probabilities(for: question.chains, question: question.question, judge: question.judge)
            scores += probabilities
            labels += question.labels
            let rows = ChainFeatures.rows(for: question.chains, question: question.question, judge: question.judge)
            singleScores += rows.map(verifier.file.single.probability)
            for row in rows { for (feature, value) in row { featureValues[feature, default: []].append(value) } }
            if let best = probabilities.indices.max(by: { probabilities[$0] < probabilities[$1] }), question.answerCorrect[best] { picked += 1 }
            if let judge = question.judge, let best = judge.indices.max(by: { judge[$0] < judge[$1] }), question.answerCorrect[best] { judgePicked += 1 }
            if let winner = Self.majorityIndex(question.chains), question.answerCorrect[winner] { majority += 1 }
            if question.answerCorrect.contains(true) { any += 1 }
        }
        let problems = Double(max(test.count, 1))
        let bins = Self.calibration(scores, labels)
        let error = bins.reduce(0) { $0 + Double($1.chains) * abs($1.predicted - $1.observed) } / Double(max(scores.count, 1))
        let brier = zip(scores, labels).reduce(0) { $0 + pow($1.0 - ($1.1 ? 1 : 0), 2) } / Double(max(scores.count, 1))
        var featureAUC: [String: Double] = [:]
        for (feature, values) in featureValues where values.count == labels.count { featureAUC[feature.rawValue] = Self.auc(values, labels) }
        return VerifierReport(
            trainProblems: train.count, trainChains: train.reduce(0) { $0 + $1.chains.count },
            testProblems: test.count, testChains: labels.count,
            positiveShare: Double(labels.filter { $0 }.count) / Double(max(labels.count, 1)),
            auc: Self.auc(scores, labels), singleAUC: Self.auc(singleScores, labels), brier: brier, calibrationError: error,
            calibration: bins, bestOfN: Double(picked) / problems, majority: Double(majority) / problems,
            judgeBestOfN: Double(judgePicked) / problems, anyChain: Double(any) / problems, featureAUC: featureAUC)
    }

    /// The chain the plain majority answers with: the most common extracted answer (ties to the
    /// one seen first), its first chain; nil when no chain has an answer.
    static func majorityIndex(_ chains: [ReasoningChain]) -> Int? {
        var counts: [String: Int] = [:]
        var first: [String: Int] = [:]
        for (index, chain) in chains.enumerated() {
            guard let answer = chain.extractedAnswer else { continue }
            counts[answer, default: 0] += 1
            if first[answer] == nil { first[answer] = index }
        }
        return counts.max { ($0.value, -first[$0.key]!) < ($1.value, -first[$1.key]!) }.flatMap { first[$0.key] }
    }

    /// The area under the ROC curve: the chance a random positive scores above a random negative
    /// (ties count half); 0.5 when one class is missing.
    public static func auc(_ scores: [Double], _ labels: [Bool]) -> Double {
        let positives = labels.filter { $0 }.count, negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return 0.5 }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for position in start...end where labels[order[position]] { rankSum += rank }
            start = end + 1
        }
        return (rankSum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
    }

    /// Ten equal-width bins of predicted probability; empty bins are left out.
    static func calibration(_ scores: [Double], _ labels: [Bool]) -> [VerifierReport.Bin] {
        (0..<10).compactMap { bin in
            let low = Double(bin) / 10, high = Double(bin + 1) / 10
            let members = scores.indices.filter { scores[$0] >= low && (scores[$0] < high || (bin == 9 && scores[$0] <= 1)) }
            guard !members.isEmpty else { return nil }
            let predicted = members.reduce(0) { $0 + scores[$1] } / Double(members.count)
            let observed = Double(members.filter { labels[$0] }.count) / Double(members.count)
            return VerifierReport.Bin(low: low, high: high, chains: members.count, predicted: predicted, observed: observed)
        }
    }
}
