/// A model being fine-tuned, one example per optimizer step: the seam between a training loop
/// (PonderTraining's `FineTuneLoop`: split, epochs, validation, early stopping, resume) and a
/// runtime that owns the weights (PonderLlama's `LlamaTrainer`).
///
/// Stateful and not thread-safe: one owner creates it (`TrainingBackend.makeTrainer`) and drives
/// it on one thread.
///
/// ```swift
/// let trainer = try backend.makeTrainer(modelPath: "start-f32.gguf", settings: TrainerSettings())
/// let tokens = try trainer.tokens(of: [.user("What is 2 + 2?"), .assistant("Answer: 4")])
/// let loss = try trainer.step(tokens, weights: nil, padToken: tokens.last ?? trainer.endOfTurnToken)
/// try trainer.save(to: "tuned-f32.gguf")
/// ```
public protocol Trainer: AnyObject {
    /// The token that ends an assistant turn; it pads windows when an example gives no better one.
    var endOfTurnToken: Int32 { get }
    /// The learning rate of the next steps.
    var learningRate: Double { get }

    /// A conversation ending with the assistant's turn as the token ids the model learns: what it
    /// decodes at inference for the prompt, then the answer, ending with the end-of-turn token.
    /// - Throws: when the conversation does not end with the assistant's turn or cannot be tokenized.
    func tokens(of conversation: [ChatMessage]) throws -> [Int32]

    /// How many of the conversation's tokens (`tokens(of:)`) come before the assistant's last turn:
    /// the system prompt, the question and the opening of the turn, which assistant-only training
    /// masks.
    /// - Throws: as `tokens(of:)`.
    func promptLength(of conversation: [ChatMessage]) throws -> Int

    /// The text a token stands for, as bytes (part of a UTF-8 character for some tokens; nothing
    /// for control tokens): it places masked spans of an answer on its tokens (`MaskedSpan.mask`).
    func tokenBytes(_ token: Int32) -> [UInt8]

    /// One optimizer step on one example (at most `window + 1` tokens, padded with `padToken`)
    /// whose label `i` (the token `tokens[i + 1]`) counts by `weights[i]`: 0 masks it, a negative
    /// weight pushes it down, nil weights count every position of the window. Returns the
    /// weighted mean cross-entropy over the counted labels before the step.
    func step(_ tokens: [Int32], weights: [Float]?, padToken: Int32) throws -> Double

    /// The example's weighted mean cross-entropy without changing the weights (a validation pass).
    func loss(_ tokens: [Int32], weights: [Float]?, padToken: Int32) throws -> Double

    /// Writes the current weights as a model file (F32) at `path`, whole or not at all.
    func save(to path: String) throws
}

extension Trainer {
    /// The loss weights of assistant-only training for a conversation of `count` tokens whose
    /// first `promptLength` tokens are the prompt: 0 on the labels inside the prompt, 1 on the
    /// labels of the assistant's turn (its text and its end-of-turn token).
    public static func assistantWeights(count: Int, promptLength: Int) -> [Float] {
        (0..<max(count - 1, 0)).map { $0 + 1 >= promptLength ? 1 : 0 }
    }
}
