import ArgumentParser
import Foundation
import PonderTraining

/// `ponder train export`: a run's verified chains as data (and commands) for TRL.
struct TrainExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a run's verified chains for TRL (SFT data, GRPO prompts, a verifier reward, commands).")

    @Option(name: .long, help: "The run directory of `ponder train star`.")
    var run: String

    @Option(name: .long, help: "Export format (trl).")
    var format: ExportFormat = .trl

    @Option(name: .long, help: "The directory to write.")
    var out: String

    @Option(name: .customLong("hf-model"), help: "The Hugging Face model the commands train.")
    var hfModel: String = "HuggingFaceTB/SmolLM2-135M-Instruct"

    enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
        case trl
    }

    func run() async throws {
        let summary = try TRLExporter(runDirectory: URL(fileURLWithPath: run))
            .export(to: URL(fileURLWithPath: out), model: hfModel)
        print("wrote \(summary.conversations) conversations from \(summary.rounds) round(s) and \(summary.prompts) GRPO prompts to \(out); see \(out)/COMMANDS.md")
    }
}
