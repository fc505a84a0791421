import Foundation
import PonderReasoning
import PonderTools

/// Settings of a STaR run (`ponder train star`), validated at construction.
///
/// ```swift
/// let configuration = try StarConfiguration(baseModel: DefaultModel.path, outputDirectory: "runs/add",
///                                           rounds: 2, samples: 8, fineTune: FineTuneSettings())
/// ```
public struct StarConfiguration: Sendable, Hashable, Codable {
    /// The GGUF model the run starts from.
    public let baseModel: String
    /// The run directory (state, chains, datasets, models, evaluations).
    public let outputDirectory: String
    /// Most rounds, 1...20.
    public let rounds: Int
    /// Chains sampled per training problem in one parallel batch, 1...64.
    public let samples: Int
    /// Chains sampled with the answer as a hint for problems where none was kept, 0...64 (0: no rationalization).
    public let rationalizationSamples: Int
    /// Reasoning-token budget per sampled chain, 16...4096.
    public let maxReasoningTokens: Int
    /// Sampling temperature of the chains, in (0, 2].
    public let temperature: Double
    /// Reasoning-token budget of the held-out evaluation (`cot`, greedy); nil uses effort low's.
    public let evaluationReasoningTokens: Int?
    /// Base seed: round r samples problem i with seed + 1000·r + i.
    public let seed: UInt32
    /// How the kept chains are trained in.
    public let fineTune: FineTuneSettings
    /// Whether chains are sampled and the held-out set evaluated with the calculator inside the
    /// reasoning; its results stay in the kept chains with their loss masked.
    public let calculator: Bool

    /// Creates a validated configuration.
    /// - Throws: `TrainingError.invalidSetting` naming the value out of range.
    public init(baseModel: String, outputDirectory: String, rounds: Int = 2, samples: Int = 8, rationalizationSamples: Int = 4,
                maxReasoningTokens: Int = 192, temperature: Double = 0.7, evaluationReasoningTokens: Int? = nil,
                seed: UInt32 = 0, fineTune: FineTuneSettings, calculator: Bool = false) throws {
        guard !baseModel.isEmpty else {
            throw TrainingError.invalidSetting(name: "base model", value: "\"\"", expected: "a GGUF path")
        }
        guard !outputDirectory.isEmpty else {
            throw TrainingError.invalidSetting(name: "output directory", value: "\"\"", expected: "a directory path")
        }
        guard (1...20).contains(rounds) else {
            throw TrainingError.invalidSetting(name: "rounds", value: "\(rounds)", expected: "an integer in 1...20")
        }
        guard (1...64).contains(samples) else {
            throw TrainingError.invalidSetting(name: "samples", value: "\(samples)", expected: "an integer in 1...64")
        }
        guard (0...64).contains(rationalizationSamples) else {
            throw TrainingError.invalidSetting(name: "rationalization samples", value: "\(rationalizationSamples)", expected: "an integer in 0...64")
        }
        guard (16...4096).contains(maxReasoningTokens) else {
            throw TrainingError.invalidSetting(name: "max reasoning tokens", value: "\(maxReasoningTokens)", expected: "an integer in 16...4096")
        }
        guard temperature.isFinite, temperature > 0, temperature <= 2 else {
            throw TrainingError.invalidSetting(name: "temperature", value: "\(temperature)", expected: "a number in (0, 2]")
        }
        if let evaluationReasoningTokens, !(16...4096).contains(evaluationReasoningTokens) {
            throw TrainingError.invalidSetting(name: "evaluation reasoning tokens", value: "\(evaluationReasoningTokens)", expected: "an integer in 16...4096")
        }
        self.baseModel = baseModel
        self.outputDirectory = outputDirectory
        self.rounds = rounds
        self.samples = samples
        self.rationalizationSamples = rationalizationSamples
        self.maxReasoningTokens = maxReasoningTokens
        self.temperature = temperature
        self.evaluationReasoningTokens = evaluationReasoningTokens
        self.seed = seed
        self.fineTune = fineTune
        self.calculator = calculator
    }

    /// The tools of sampling and of the held-out evaluation: the calculator for every chain, or none.
    public func toolUse() throws -> ToolUse {
        calculator ? try ToolUse(tools: [CalculatorTool()], mode: .always) : .none
    }

    enum CodingKeys: String, CodingKey {
        case baseModel, outputDirectory, rounds, samples, rationalizationSamples, maxReasoningTokens, temperature
        case evaluationReasoningTokens, seed, fineTune, calculator
    }

    /// Reads a configuration; one written before the calculator option has it off.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(baseModel: c.decode(String.self, forKey: .baseModel), outputDirectory: c.decode(String.self, forKey: .outputDirectory),
                      rounds: c.decode(Int.self, forKey: .rounds), samples: c.decode(Int.self, forKey: .samples),
                      rationalizationSamples: c.decode(Int.self, forKey: .rationalizationSamples),
                      maxReasoningTokens: c.decode(Int.self, forKey: .maxReasoningTokens), temperature: c.decode(Double.self, forKey: .temperature),
                      evaluationReasoningTokens: c.decodeIfPresent(Int.self, forKey: .evaluationReasoningTokens),
                      seed: c.decode(UInt32.self, forKey: .seed), fineTune: c.decode(FineTuneSettings.self, forKey: .fineTune),
                      calculator: c.decodeIfPresent(Bool.self, forKey: .calculator) ?? false)
    }

    /// Writes the configuration; the calculator key only when it is on, so a run's fingerprint
    /// from before the option stays the same.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(baseModel, forKey: .baseModel)
        try c.encode(outputDirectory, forKey: .outputDirectory)
        try c.encode(rounds, forKey: .rounds)
        try c.encode(samples, forKey: .samples)
        try c.encode(rationalizationSamples, forKey: .rationalizationSamples)
        try c.encode(maxReasoningTokens, forKey: .maxReasoningTokens)
        try c.encode(temperature, forKey: .temperature)
        try c.encodeIfPresent(evaluationReasoningTokens, forKey: .evaluationReasoningTokens)
        try c.encode(seed, forKey: .seed)
        try c.encode(fineTune, forKey: .fineTune)
        if calculator { try c.encode(true, forKey: .calculator) }
    }
}
