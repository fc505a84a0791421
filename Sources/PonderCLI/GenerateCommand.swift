import ArgumentParser
import Foundation
import PonderCore
import PonderLlama

/// `ponder generate "prompt"`: the model's plain reply, streamed, with full control of sampling
/// and no hidden reasoning (the baseline the reasoning layer is measured against).
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Reply to a prompt directly, without reasoning, with full sampling control.")

    @Argument(help: "The user message.")
    var question: String

    @Option(name: .long, help: "A system message to put before the question.")
    var system: String?

    @OptionGroup(title: "Model") var modelOptions: ModelOptions
    @OptionGroup(title: "Sampling") var samplingOptions: SamplingOptions

    mutating func validate() throws {
        guard !question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("the prompt is empty")
        }
    }

    func run() async throws {
        let engine = try LlamaEngine(configuration: modelOptions.engineConfiguration())
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(question))
        let request = try GenerationRequest.chat(messages, sampling: samplingOptions.parameters())
        var output = StandardOutput()
        for try await event in engine.generate(request) {
            if case .text(let delta) = event { output.write(delta.text) }
        }
        output.write("\n")
    }
}
