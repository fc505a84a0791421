import ArgumentParser
import Foundation
import PonderCore
import PonderLlama

/// `ponder ask "question"`: answers one question with the local model, streaming the answer.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer one question.")

    @Argument(help: "The question.")
    var question: String

    @Option(name: .long, help: "A system message to put before the question.")
    var system: String?

    @OptionGroup(title: "Model") var modelOptions: ModelOptions
    @OptionGroup(title: "Sampling") var samplingOptions: SamplingOptions

    mutating func validate() throws {
        guard !question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("the question is empty")
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

/// Unbuffered writes to standard output, for streaming text.
struct StandardOutput: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardOutput.write(Data(string.utf8))
    }
}
