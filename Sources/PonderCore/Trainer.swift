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
/// let loss = try trainer.step(tokens, padToken: tokens.last ?? trainer.endOfTurnToken)
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

    /// One optimizer step on one example (at most `window + 1` tokens, padded with `padToken`);
    /// returns the example's mean cross-entropy before the step.
    func step(_ tokens: [Int32], padToken: Int32) throws -> Double

    /// The example's mean cross-entropy without changing the weights (a validation pass).
    func loss(_ tokens: [Int32], padToken: Int32) throws -> Double

    /// Writes the current weights as a model file (F32) at `path`, whole or not at all.
    func save(to path: String) throws
}
