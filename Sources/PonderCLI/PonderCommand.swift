import ArgumentParser
import Foundation

/// The `ponder` command line: the root command and its subcommands.
public struct PonderCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ponder",
        abstract: "Ponder: an o1-style reasoning engine over local llama.cpp models.",
        subcommands: [AskCommand.self, ChatCommand.self, GenerateCommand.self, EvalCommand.self, BenchCommand.self, InfoCommand.self,
                      ServeCommand.self, TrainCommand.self, SandboxToolCommand.self],
        defaultSubcommand: nil
    )

    public init() {}
}

extension PonderCommand {
    /// Runs the command line: usage errors (bad flags or values) print one line and exit with 2;
    /// failures while running print one line and exit with 1; help and version exit 0.
    public static func runMain(arguments: [String]? = nil) async -> Never {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }   // --help, --version
            FileHandle.standardError.write(Data("Error: \(oneLine(message(for: error)))\n".utf8))
            Foundation.exit(2)
        }
        do {
            var command = command
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            if error is CleanExit || error is ExitCode || exitCode(for: error) == .success { exit(withError: error) }
            FileHandle.standardError.write(Data("Error: \(oneLine("\(error)"))\n".utf8))
            Foundation.exit(1)
        }
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
    }
}
