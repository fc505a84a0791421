import ArgumentParser
import Foundation
import PonderLlama
import PonderReasoning

/// `ponder info`: prints what the model file says about itself.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Show facts about a model.")

    @OptionGroup(title: "Model") var modelOptions: ModelOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() async throws {
        let engine = try LlamaEngine(configuration: modelOptions.engineConfiguration())
        let info = engine.info
        if json {
            try JSONOutput.print(info, slashes: .escaped)
            return
        }
        print("name:            \(info.name)")
        print("path:            \(engine.model.path)")
        print("architecture:    \(info.architecture ?? "unknown")")
        print("parameters:      \(info.parameterCount.map(String.init) ?? "unknown")")
        print("trained context: \(info.trainedContextLength.map(String.init) ?? "unknown")")
        print("context (cache): \(info.contextLength)")
        print("special tokens:  \(info.specialTokens.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.debugDescription)" }.joined(separator: " "))")
        print("chat template:   \(info.chatTemplate == nil ? "none" : "\(info.chatTemplate!.count) characters")")
        let prompt = try modelOptions.reasoningPrompt() ?? ReasoningPrompt.select(for: info)
        print("reasoning prompt: \(prompt.label) (\(prompt.thinking.kind))")
    }
}
