import Foundation
import PonderCore

/// One fine-tune to run: from an F32 model, on examples, into an F32 output, with its resumable
/// state (a per-step loss log and a progress file) in `stateDirectory`.
public struct FineTuneJob: Sendable {
    /// The F32 GGUF to start from.
    public var startModel: String
    /// Where the tuned F32 GGUF goes (the best epoch by validation loss).
    public var output: String
    /// The conversations to learn.
    public var examples: [TrainingExample]
    /// How.
    public var settings: FineTuneSettings
    /// Where the loss log (`train-log.jsonl`) and the progress file (`fine-tune.json`) live.
    public var stateDirectory: URL

    /// Creates a job.
    public init(startModel: String, output: String, examples: [TrainingExample], settings: FineTuneSettings, stateDirectory: URL) {
        self.startModel = startModel
        self.output = output
        self.examples = examples
        self.settings = settings
        self.stateDirectory = stateDirectory
    }
}
