import PonderReasoning

/// Fits effort `auto`'s stopping rule on labelled chains: each question's first `quickChains`
/// chains play the assessment, all of them the full vote. Among agreement thresholds and
/// confidence bars (deciles of the training leaders' confidences), it takes the rule that spends
/// the fewest chains while its training accuracy stays within `tolerance` of always running all.
public enum AutoRuleFit {
    /// A rule's accuracy and mean chains over questions.
    public struct Evaluation: Sendable, Hashable {
        public var accuracy: Double
        public var meanChains: Double
    }

    /// What `rule` does on `questions` (each with at least the rule's quick chains).
    public static func evaluate(_ rule: AutoRule, on questions: [LabelledQuestion]) -> Evaluation {
        var right = 0, chains = 0
        for question in questions {
            let quick = Array(question.chains.prefix(rule.quickChains))
            let first = AutoDecision.leader(of: quick)
            let stops = rule.stops(votes: first.votes, confidence: first.confidence) || quick.count >= question.chains.count
            let used = stops ? quick.count : question.chains.count
            chains += used
            let answer = stops ? first.answer : AutoDecision.leader(of: question.chains).answer
            if let answer, question.chains.indices.contains(where: { question.chains[$0].extractedAnswer == answer && question.answerCorrect[$0] }) {
                right += 1
            }
        }
        let count = Double(max(questions.count, 1))
        return Evaluation(accuracy: Double(right) / count, meanChains: Double(chains) / count)
    }

    /// The cheapest rule within `tolerance` of always running every chain, on `train`.
    public static func fit(_ train: [LabelledQuestion], quickChains: Int = 4, tolerance: Double = 0.01) -> AutoRule {
        let never = AutoRule(quickChains: quickChains, minimumAgreement: quickChains + 1)
        let baseline = evaluate(never, on: train).accuracy
        let leaders = train.compactMap { AutoDecision.leader(of: Array($0.chains.prefix(quickChains))).confidence }.sorted()
        let bars: [Double?] = [nil] + (1...9).compactMap { decile in
            leaders.isEmpty ? nil : leaders[min(leaders.count - 1, leaders.count * decile / 10)]
        }
        var best = (rule: never, evaluation: evaluate(never, on: train))
        for agreement in 1...quickChains {
            for bar in bars {
                let rule = AutoRule(quickChains: quickChains, minimumAgreement: agreement, minimumConfidence: bar)
                let evaluation = evaluate(rule, on: train)
                guard evaluation.accuracy >= baseline - tolerance else { continue }
                if evaluation.meanChains < best.evaluation.meanChains
                    || (evaluation.meanChains == best.evaluation.meanChains && evaluation.accuracy > best.evaluation.accuracy) {
                    best = (rule, evaluation)
                }
            }
        }
        return best.rule
    }

    /// The fitted rule on held-out questions, against the majority of the quick chains and of all.
    static func report(_ rule: AutoRule, test: [LabelledQuestion]) -> VerifierReport.AutoReport {
        let fitted = evaluate(rule, on: test)
        let always = evaluate(AutoRule(quickChains: rule.quickChains, minimumAgreement: 1), on: test)
        let never = evaluate(AutoRule(quickChains: rule.quickChains, minimumAgreement: rule.quickChains + 1), on: test)
        return VerifierReport.AutoReport(accuracy: fitted.accuracy, meanChains: fitted.meanChains, quickMajority: always.accuracy,
                                         fullMajority: never.accuracy, chains: test.first?.chains.count ?? 0)
    }
}
