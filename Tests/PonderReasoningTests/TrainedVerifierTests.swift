import Foundation
import PonderCore
@testable import PonderReasoning
import PonderTesting
import Testing

/// The trained verifier: the fit recovers known weights, the file round-trips and is refused for
/// another model, features are computed as documented, and the strategies score with it.
@Suite struct TrainedVerifierTests {
    static let identity = ModelIdentity(name: "tiny.gguf", digest: "sha256:" + String(repeating: "ab", count: 32))

    /// Logistic data with known raw weights: z = 0.5 + 1.5·x₁ − 2·x₂ + 0·x₃.
    static func synthetic(count: Int) -> (rows: [[ChainFeature: Double]], labels: [Bool]) {
        var random = SplitMix64(seed: 42)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        var rows: [[ChainFeature: Double]] = []
        var labels: [Bool] = []
        for _ in 0..<count {
            let x1 = uniform() * 4 - 2, x2 = uniform() * 2, x3 = uniform() * 10
            let p = 1 / (1 + exp(-(0.5 + 1.5 * x1 - 2 * x2)))
            rows.append([.meanConfidence: x1, .tailConfidence: x2, .toolCalls: x3])
            labels.append(uniform() < p)
        }
        return (rows, labels)
    }

    @Test func fittingRecoversKnownWeights() throws {
        let (rows, labels) = Self.synthetic(count: 20_000)
        let model = try #require(LogisticModel.fit(features: [.meanConfidence, .tailConfidence, .toolCalls], rows: rows, labels: labels, l2: 1e-6))
        let raw = zip(model.weights, model.scales).map { $0 / $1 }
        let bias = model.bias - zip(raw, model.means).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(raw[0] - 1.5) < 0.1)
        #expect(abs(raw[1] + 2) < 0.1)
        #expect(abs(raw[2]) < 0.03)
        #expect(abs(bias - 0.5) < 0.15)
        // The probability it predicts is the logistic of the raw weights.
        let p = model.probability([.meanConfidence: 1, .tailConfidence: 0.5, .toolCalls: 3])
        #expect(abs(p - 1 / (1 + exp(-(0.5 + 1.5 - 1)))) < 0.03)
    }

    @Test func fittingRefusesOneClass() {
        #expect(LogisticModel.fit(features: [.meanConfidence], rows: [[.meanConfidence: 1], [.meanConfidence: 2]], labels: [true, true]) == nil)
        #expect(LogisticModel.fit(features: [.meanConfidence], rows: [], labels: []) == nil)
    }

    static func file(model: ModelIdentity = identity) -> VerifierFile {
        let batch = LogisticModel(features: [.agreement, .lowestGroupConfidence], means: [0.5, 10], scales: [0.25, 2], weights: [2, 0.5], bias: -0.2)
        let single = LogisticModel(features: [.lowestGroupConfidence], means: [10], scales: [2], weights: [0.7], bias: -0.4)
        let report = VerifierReport(trainProblems: 3, trainChains: 24, testProblems: 1, testChains: 8, positiveShare: 0.25, auc: 0.7,
                                    singleAUC: 0.6, brier: 0.2, calibrationError: 0.05, calibration: [.init(low: 0, high: 0.1, chains: 8, predicted: 0.05, observed: 0)],
                                    bestOfN: 1, majority: 0, judgeBestOfN: 0, anyChain: 1, featureAUC: ["agreement": 0.7])
        return VerifierFile(model: model, created: "2026-12-02T00:00:00Z", command: "ponder train verifier --out x", label: "answer",
                            batch: batch, single: single, confidencePercentiles: (0...20).map { Double($0) }, report: report)
    }

    func write(_ data: Data) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("verifier-\(UUID().uuidString).json").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func fileRoundTrips() throws {
        let file = Self.file()
        let path = try write(try file.encoded())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = try TrainedVerifier.load(path: path, for: Self.identity)
        #expect(loaded.file == file)
        #expect(loaded.digest.hasPrefix("sha256:") && loaded.digest.count == 19)
        let json = try #require(String(data: try file.encoded(), encoding: .utf8))
        #expect(json.contains("\"format\" : \"ponder-verifier\"") && json.contains("\"confidence_percentiles\""))
        // The calibrated threshold interpolates the stored percentiles: η = 0.1 → the 90th.
        #expect(abs((file.calibratedThreshold(keepFraction: 0.1) ?? 0) - 18) < 1e-9)
        #expect(abs((file.calibratedThreshold(keepFraction: 0.875) ?? 0) - 2.5) < 1e-9)
    }

    @Test func anotherModelsFileIsRefusedInOneLine() throws {
        let path = try write(try Self.file().encoded())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let other = ModelIdentity(name: "other.gguf", digest: "sha256:" + String(repeating: "cd", count: 32))
        #expect(throws: VerifierFileError.otherModel(path: path, fitted: Self.identity, running: other)) {
            try TrainedVerifier.load(path: path, for: other)
        }
        let message = "\(VerifierFileError.otherModel(path: path, fitted: Self.identity, running: other))"
        #expect(!message.contains("\n") && message.contains("tiny.gguf") && message.contains("other.gguf"))
    }

    @Test func brokenFilesAreRefused() throws {
        let garbage = try write(Data("{\"format\": 3".utf8))
        let future = try write(Data(#"{"format": "ponder-verifier", "version": 2}"#.utf8))
        var short = Self.file()
        short.batch.weights = [1]   // two features, one weight
        let shortPath = try write(try short.encoded())
        defer { for p in [garbage, future, shortPath] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(throws: VerifierFileError.malformed(path: shortPath, reason: "its weights are inconsistent or not finite")) {
            try TrainedVerifier.load(path: shortPath, for: Self.identity)
        }
        #expect(throws: VerifierFileError.malformed(path: garbage, reason: "not a ponder verifier JSON file")) {
            try TrainedVerifier.load(path: garbage, for: Self.identity)
        }
        #expect(throws: VerifierFileError.unsupportedVersion(path: future, version: 2)) {
            try TrainedVerifier.load(path: future, for: Self.identity)
        }
        #expect(throws: VerifierFileError.unreadable(path: "/nonexistent/verifier.json")) {
            try TrainedVerifier.load(path: "/nonexistent/verifier.json", for: Self.identity)
        }
    }

    static func chain(_ answer: String?, tools: [ToolCall] = [], tokens: Int = 20, lowest: Double = 5) -> ReasoningChain {
        ReasoningChain(reasoning: "r", answer: answer ?? "no idea", extractedAnswer: answer, reasoningTokens: tokens, answerTokens: 2,
                       budgetForced: true, forcedAtEnd: false, toolCalls: tools,
                       confidence: ChainConfidence(tokens: tokens, mean: 7, lowestGroup: lowest, tail: 6))
    }

    @Test func featuresAreComputedAsDocumented() {
        let sum = ToolCall(tool: "calculator", input: "12 + 1250", result: "1262", injected: " 1262", isError: false)
        let chains = [Self.chain("12"), Self.chain("1262", tools: [sum]), Self.chain(nil), Self.chain("1262")]
        let rows = ChainFeatures.rows(for: chains, question: "Tom has 12 apples and buys 1,250 more. How many now?", judge: [0.9, 0.1, 0.5, 0.4])
        #expect(rows[0][.answerInQuestion] == 1 && rows[1][.answerInQuestion] == 0)
        #expect(rows[1][.answerIsToolResult] == 1 && rows[3][.answerIsToolResult] == 0 && rows[1][.toolCalls] == 1)
        #expect(rows[2][.noAnswer] == 1 && rows[2][.agreement] == 0)
        #expect(rows[1][.agreement] == 1.0 / 3 && rows[0][.agreement] == 0)
        #expect(rows[0][.probabilityOfYes] == 0.9 && rows[0][.budgetRanOut] == 1 && rows[0][.forcedAtEnd] == 0)
        #expect(rows[0][.logReasoningTokens] == log(21.0) && rows[0][.lowestGroupConfidence] == 5 && rows[0][.meanConfidence] == 7)
        #expect(ChainFeatures.rows(for: [Self.chain("3")], question: "q", judge: nil)[0][.probabilityOfYes] == 0.5)
    }

    static func scripted(answers: [String], confidences: [Double]) -> ScriptedModel {
        ScriptedModel { call in
            if call.isJudgement { return .init("", yesProbability: 0.5) }
            let index = call.sequence % answers.count
            return .init("Working it out step by step.\nAnswer: \(answers[index])", confidences: Array(repeating: confidences[index], count: 200))
        }
    }

    @Test func bestOfNScoresWithTheTrainedVerifierWithoutAskingTheModel() async throws {
        // Agreement dominates: the two chains answering 5 agree, and one of them answers.
        let model = Self.scripted(answers: ["3", "5", "5", "4"], confidences: [9, 1, 1, 9])
        let configuration = try ReasoningConfiguration(strategy: .bestOfN, samples: 4).scoring(with: TrainedVerifier(file: Self.file()))
        let trace = try await Reasoner(model: model).answer("What is 2 + 3?", configuration: configuration)
        #expect(trace.extractedAnswer == "5")
        #expect(!model.requests.contains { $0.topLogprobs > 0 })   // the file uses no P("Yes")
        let expected = TrainedVerifier(file: Self.file()).probabilities(for: trace.samples, question: "What is 2 + 3?", judge: nil)
        #expect(trace.samples.map { $0.score ?? -1 } == expected)
    }

    @Test func checkAndReviseUsesTheSingleChainModel() async throws {
        let model = ScriptedModel { call in
            let revising = call.lastUserMessage?.contains("may be wrong") == true
            return .init("Working it out.\nAnswer: \(revising ? "12" : "10")", confidences: Array(repeating: revising ? 20 : 1, count: 200))
        }
        let configuration = try ReasoningConfiguration(effort: .high, strategy: .checkAndRevise).scoring(with: TrainedVerifier(file: Self.file()))
        let trace = try await Reasoner(model: model).answer("What is 3 * 4?", configuration: configuration)
        #expect(trace.samples.count == 2)
        #expect((trace.samples[0].score ?? 1) < 0.5 && (trace.samples[1].score ?? 0) >= 0.5)
        #expect(trace.extractedAnswer == "12")
        #expect(!model.requests.contains { $0.topLogprobs > 0 })
    }

    @Test func confidentVoteWeightsByTheVerifierAndTakesItsCalibratedBar() async throws {
        // Confidence alone would elect 4 (two chains at 9); the verifier's agreement term prefers the three 5s.
        let model = Self.scripted(answers: ["4", "5", "5", "5", "4"], confidences: [9, 3, 3, 3, 9])
        let plain = try ReasoningConfiguration(strategy: .confidentVote, samples: 5, confidence: ConfidenceSettings(keepFraction: 0.4))
        #expect(try await Reasoner(model: model).answer("What is 2 + 3?", configuration: plain).extractedAnswer == "4")
        let trace = try await Reasoner(model: model).answer("What is 2 + 3?", configuration: plain.scoring(with: TrainedVerifier(file: Self.file())))
        #expect(trace.extractedAnswer == "5")
        #expect(trace.summaries.contains { $0.text.contains("weighted by the trained verifier") })
        // With early stop and no threshold given, the file's calibrated bar (η 0.9 → the 10th
        // percentile = 2) applies from the first chain: nothing is a warm-up.
        let early = try ReasoningConfiguration(strategy: .confidentVote, samples: 4, confidence: ConfidenceSettings(window: 4, earlyStop: true))
            .scoring(with: TrainedVerifier(file: Self.file()))
        let twoKinds = Self.scripted(answers: ["4", "5"], confidences: [1, 9])
        let stopped = try await Reasoner(model: twoKinds).answer("What is 2 + 3?", configuration: early)
        #expect(!stopped.summaries.contains { $0.title == "Setting a confidence bar" })
        #expect(twoKinds.requests.filter { $0.topLogprobs == 0 }.count == 1)   // every chain started at once
        #expect(stopped.samples.contains { $0.stoppedLowConfidence == true })
        #expect(stopped.extractedAnswer == "5")
    }

    @Test func twoVerifiersAreRefused() throws {
        let programmatic = ExpectedAnswerVerifier(expected: "1") { $0 == $1 }
        #expect(throws: ReasoningError.self) {
            try ReasoningConfiguration(verifier: programmatic, trainedVerifier: TrainedVerifier(file: Self.file()))
        }
    }
}
