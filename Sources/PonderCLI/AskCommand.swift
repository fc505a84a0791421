import ArgumentParser
import Foundation
import PonderCore
import PonderLlama
import PonderReasoning

/// `ponder ask "question"`: thinks, shows titled steps while it works, then answers.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Think about a question, then answer it.",
        discussion: "--json prints one trace object; its keys are documented in docs/REASONING.md.")

    @Argument(help: "The question.")
    var question: String

    @Option(name: .long, help: "A system message to put before the question.")
    var system: String?

    @Flag(name: .customLong("show-reasoning"), help: "Show the hidden reasoning as it is generated.")
    var showReasoning = false

    @Flag(name: .long, help: "Print one machine-readable trace (JSON) instead of the live view.")
    var json = false

    @OptionGroup(title: "Reasoning") var reasoningOptions: ReasoningOptions
    @OptionGroup(title: "Code sandbox") var sandbox: SandboxOptions
    @OptionGroup(title: "Model") var modelOptions: ModelOptions

    mutating func validate() throws {
        guard question.contains(where: { !$0.isWhitespace }) else { throw ValidationError("the question is empty") }
    }

    func run() async throws {
        let unscored = try reasoningOptions.configuration(sandbox: sandbox)
        let model = try await modelOptions.makeLanguageModel()
        let configuration = try modelOptions.trainedVerifier(path: reasoningOptions.verifier, for: model).map(unscored.scoring(with:)) ?? unscored
        let reasoner = Reasoner(model: model, prompt: try modelOptions.reasoningPrompt())
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(question))
        let events = reasoner.reason(about: messages, configuration: configuration)
        if json {
            for try await event in events {
                if case .done(let trace) = event { try JSONOutput.print(trace) }
            }
            return
        }
        _ = try await ReasoningPrinter(showReasoning: showReasoning).run(events)
    }
}
