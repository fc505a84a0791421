/// Settings of one local fine-tune's optimizer, whatever the runtime, validated at construction.
///
/// ```swift
/// let settings = try TrainerSettings(window: 256, learningRate: 1e-5, trainableLayers: 8)
/// ```
public struct TrainerSettings: Sendable, Hashable, Codable {
    /// Tokens per training window (one example per window, padded), a multiple of 256 in 256...4096
    /// (llama.cpp pads contexts to 256 tokens, and training needs one micro-batch per window so that
    /// the K and V projections receive gradients).
    public let window: Int
    /// AdamW learning rate, in (0, 0.1].
    public let learningRate: Double
    /// AdamW decoupled weight decay, in [0, 1).
    public let weightDecay: Double
    /// How many of the last transformer blocks are trained (their tensors and the final norm); nil
    /// trains every tensor the runtime allows (llama.cpp never trains the token embedding).
    public let trainableLayers: Int?

    /// Creates validated settings.
    /// - Throws: `PonderError.invalidParameter` naming the value out of range.
    public init(window: Int = 256, learningRate: Double = 1e-5, weightDecay: Double = 0, trainableLayers: Int? = nil) throws {
        guard (256...4096).contains(window), window % 256 == 0 else {
            throw PonderError.invalidParameter(name: "training window", value: "\(window)", expected: "a multiple of 256 in 256...4096")
        }
        guard learningRate.isFinite, learningRate > 0, learningRate <= 0.1 else {
            throw PonderError.invalidParameter(name: "learning rate", value: "\(learningRate)", expected: "a number in (0, 0.1]")
        }
        guard weightDecay.isFinite, weightDecay >= 0, weightDecay < 1 else {
            throw PonderError.invalidParameter(name: "weight decay", value: "\(weightDecay)", expected: "a number in [0, 1)")
        }
        if let trainableLayers, trainableLayers < 1 {
            throw PonderError.invalidParameter(name: "trainable layers", value: "\(trainableLayers)", expected: "an integer >= 1")
        }
        self.window = window
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.trainableLayers = trainableLayers
    }
}
