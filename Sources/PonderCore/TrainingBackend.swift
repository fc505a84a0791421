/// What self-training needs from a model runtime: models to sample and evaluate with, weight
/// conversion, and trainers. PonderLlama's `LlamaTrainingBackend` is llama.cpp; tests plug in a
/// scripted one. PonderTraining runs the STaR loop and the fine-tune loop over it (its
/// `fineTune(_:progress:)` extension), so a runtime supplies the operations and never the policy.
public protocol TrainingBackend: Sendable {
    /// A model to generate with, loaded from `path`.
    func languageModel(path: String) throws -> any LanguageModel
    /// Converts `input` to `type` at `output` (F32 for training, Q8_0 to ship), whole or not at all.
    func convert(input: String, output: String, to type: WeightType) throws
    /// Copies metadata the trainer's saver drops (chat template, context length) from `reference` into `path`.
    func restoreMetadata(in path: String, from reference: String) throws
    /// Loads the F32 model at `modelPath` for training with `settings`.
    func makeTrainer(modelPath: String, settings: TrainerSettings) throws -> any Trainer
}
