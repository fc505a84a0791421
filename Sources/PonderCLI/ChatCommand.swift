import ArgumentParser
import Dispatch
import Foundation
import PonderCore
import PonderLlama
import PonderReasoning

/// `ponder chat`: a multi-turn session. Earlier turns keep only their answers (their reasoning is
/// dropped from the context, as with OpenAI's reasoning models). Ctrl-C cancels the current answer;
/// Ctrl-C at the prompt, Ctrl-D or /exit ends the session.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "chat", abstract: "Talk with the model, thinking before each answer.")

    @Option(name: .long, help: "A system message for the whole session.")
    var system: String?

    @Flag(name: .customLong("show-reasoning"), help: "Show the hidden reasoning as it is generated.")
    var showReasoning = false

    @OptionGroup(title: "Reasoning") var reasoningOptions: ReasoningOptions
    @OptionGroup(title: "Code sandbox") var sandbox: SandboxOptions
    @OptionGroup(title: "Model") var modelOptions: ModelOptions

    func run() async throws {
        let unscored = try reasoningOptions.configuration(sandbox: sandbox)
        let model = try await modelOptions.makeLanguageModel()
        let configuration = try modelOptions.trainedVerifier(path: reasoningOptions.verifier, for: model).map(unscored.scoring(with:)) ?? unscored
        let reasoner = Reasoner(model: model, prompt: try modelOptions.reasoningPrompt())
        var history: [ChatMessage] = system.map { [.system($0)] } ?? []
        let interrupt = InterruptHandler()
        var output = StandardOutput()
        while true {
            output.write("> ")
            guard let line = readLine() else { output.write("\n"); return }
            let input = line.trimmingCharacters(in: .whitespaces)
            if input.isEmpty { continue }
            if input == "/exit" || input == "/quit" { return }
            let messages = history + [.user(input)]
            let turn = Task { try await ReasoningPrinter(showReasoning: showReasoning).run(reasoner.reason(about: messages, configuration: configuration)) }
            interrupt.current = { turn.cancel() }
            let result = await turn.result
            interrupt.current = nil
            switch result {
            case .success(let trace?):
                history += [.user(input), .assistant(trace.answer)]
                output.write("\n")
            case .success(nil), .failure(is CancellationError):
                output.write("\n(cancelled)\n")
            case .failure(let error):
                Terminal.error("Error: \(error)\n")
            }
        }
    }
}

/// Turns SIGINT into cancelling the current answer, or ends the process when none is running.
final class InterruptHandler: @unchecked Sendable {
    private let lock = NSLock()
    private var action: (@Sendable () -> Void)?
    private let source: DispatchSourceSignal

    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let action = self?.current else { Foundation.exit(130) }
            action()
        }
        source.resume()
    }

    var current: (@Sendable () -> Void)? {
        get { lock.withLock { action } }
        set { lock.withLock { action = newValue } }
    }
}
