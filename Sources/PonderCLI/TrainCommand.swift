import ArgumentParser

/// `ponder train`: self-improvement on verified chains of thought, and export for larger engines.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Improve a model on its own verified chains of thought (STaR), or export the data.",
        discussion: "See docs/TRAINING.md.",
        subcommands: [TrainStarCommand.self, TrainVerifierCommand.self, TrainExportCommand.self, TrainRewardCommand.self])
}
