import Foundation
import PonderCore

/// How the kept chains are fine-tuned into the model, validated at construction.
///
/// ```swift
/// let settings = try FineTuneSettings(epochs: 2, learningRate: 1e-5, trainableLayers: 10)
/// ```
public struct FineTuneSettings: Sendable, Hashable, Codable {
    /// Passes over the training examples, 1...50.
    public let epochs: Int
    /// AdamW learning rate, in (0, 0.1].
    public let learningRate: Double
    /// How many of the last transformer blocks train; nil trains all llama.cpp allows.
    public let trainableLayers: Int?
    /// Tokens per training window (one conversation per window, padded), a multiple of 256.
    public let window: Int
    /// Share of examples held back to measure validation loss after each epoch (early stopping),
    /// in [0, 0.5).
    public let validationShare: Double
    /// Replay examples (the base model's own answers to unrelated prompts) per kept chain, in [0, 1].
    public let replayShare: Double
    /// The weight type of the shipped model.
    public let quantization: WeightType
    /// Seed for the validation split and the example order.
    public let seed: UInt64
    /// Which tokens the loss covers (default: the assistant's own).
    public let lossScope: LossScope

    /// Which tokens of a training conversation the loss covers.
    public enum LossScope: String, Sendable, Hashable, Codable, CaseIterable {
        /// The assistant's last turn only: its text and end-of-turn token. The system prompt, the
        /// question and the padding are masked (Ponder's llama.cpp patch 0001).
        case assistant
        /// Every position of the window, prompt and padding included (llama.cpp's own training).
        case all
    }

    /// Creates validated settings.
    /// - Throws: `TrainingError.invalidSetting` naming the value out of range.
    public init(epochs: Int = 2, learningRate: Double = 1e-5, trainableLayers: Int? = nil, window: Int = 256,
                validationShare: Double = 0.1, replayShare: Double = 0.2, quantization: WeightType = .q8_0, seed: UInt64 = 0,
                lossScope: LossScope = .assistant) throws {
        guard (1...50).contains(epochs) else {
            throw TrainingError.invalidSetting(name: "epochs", value: "\(epochs)", expected: "an integer in 1...50")
        }
        guard learningRate.isFinite, learningRate > 0, learningRate <= 0.1 else {
            throw TrainingError.invalidSetting(name: "learning rate", value: "\(learningRate)", expected: "a number in (0, 0.1]")
        }
        if let trainableLayers, trainableLayers < 1 {
            throw TrainingError.invalidSetting(name: "trainable layers", value: "\(trainableLayers)", expected: "an integer >= 1")
        }
        guard (256...4096).contains(window), window % 256 == 0 else {
            throw TrainingError.invalidSetting(name: "window", value: "\(window)", expected: "a multiple of 256 in 256...4096")
        }
        guard validationShare.isFinite, validationShare >= 0, validationShare < 0.5 else {
            throw TrainingError.invalidSetting(name: "validation share", value: "\(validationShare)", expected: "a number in [0, 0.5)")
        }
        guard replayShare.isFinite, replayShare >= 0, replayShare <= 1 else {
            throw TrainingError.invalidSetting(name: "replay share", value: "\(replayShare)", expected: "a number in [0, 1]")
        }
        self.epochs = epochs
        self.learningRate = learningRate
        self.trainableLayers = trainableLayers
        self.window = window
        self.validationShare = validationShare
        self.replayShare = replayShare
        self.quantization = quantization
        self.seed = seed
        self.lossScope = lossScope
    }

    private enum CodingKeys: String, CodingKey {
        case epochs, learningRate, trainableLayers, window, validationShare, replayShare, quantization, seed, lossScope
    }

    /// Decodes and validates stored settings; settings stored before `lossScope` existed trained
    /// on every position, and read back so.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(epochs: c.decode(Int.self, forKey: .epochs), learningRate: c.decode(Double.self, forKey: .learningRate),
                      trainableLayers: c.decodeIfPresent(Int.self, forKey: .trainableLayers), window: c.decode(Int.self, forKey: .window),
                      validationShare: c.decode(Double.self, forKey: .validationShare), replayShare: c.decode(Double.self, forKey: .replayShare),
                      quantization: c.decode(WeightType.self, forKey: .quantization), seed: c.decode(UInt64.self, forKey: .seed),
                      lossScope: c.decodeIfPresent(LossScope.self, forKey: .lossScope) ?? .all)
    }
}

/// What one fine-tune did.
public struct FineTuneReport: Sendable, Hashable, Codable {
    /// Examples trained on (after the validation split and length limit).
    public var trainingExamples: Int
    /// Examples held back for validation.
    public var validationExamples: Int
    /// Examples dropped for being longer than the window.
    public var droppedTooLong: Int
    /// Tokens of the training examples (one pass, without padding).
    public var trainingTokens: Int
    /// Labels the loss covers in one pass: the assistant's tokens, or every window position
    /// (nil in reports written before assistant-only training).
    public var lossTokens: Int?
    /// Labels masked because a tool forced their tokens in (one pass; nil in older reports).
    public var toolMaskedTokens: Int?
    /// Examples dropped because their masked spans could not be placed on their tokens (nil in older reports).
    public var droppedUnplaceable: Int?
    /// Optimizer steps taken.
    public var steps: Int
    /// Epochs completed.
    public var epochs: Int
    /// Mean training loss per epoch: over the assistant's tokens (`LossScope.assistant`), or over
    /// every window position, padding included (`.all`).
    public var epochLoss: [Double]
    /// Validation loss before training and after each epoch.
    public var validationLoss: [Double]
    /// Whether training stopped before the last epoch because validation loss rose.
    public var stoppedEarly: Bool
    /// Wall time of the training, in seconds.
    public var seconds: Double

    /// An empty report.
    public init() {
        trainingExamples = 0; validationExamples = 0; droppedTooLong = 0; trainingTokens = 0; steps = 0; epochs = 0
        epochLoss = []; validationLoss = []; stoppedEarly = false; seconds = 0
    }
}

/// Progress of a fine-tune, for a progress bar.
public struct FineTuneProgress: Sendable, Hashable {
    /// Epoch (from 1).
    public var epoch: Int
    /// Step within the whole run (from 1).
    public var step: Int
    /// Total steps planned.
    public var totalSteps: Int
    /// This step's loss.
    public var loss: Double
    /// Seconds left at the current pace.
    public var secondsLeft: Double
}
