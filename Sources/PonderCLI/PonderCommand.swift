import ArgumentParser

/// The `ponder` command line: the root command and its subcommands.
public struct PonderCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ponder",
        abstract: "Ponder: an o1-style reasoning engine over local llama.cpp models.",
        subcommands: [AskCommand.self, ChatCommand.self, GenerateCommand.self, BenchCommand.self, InfoCommand.self],
        defaultSubcommand: nil
    )

    public init() {}
}
