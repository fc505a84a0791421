import ArgumentParser
import Foundation
import PonderReasoning
import PonderTools

extension Effort: ExpressibleByArgument {}
extension StrategyKind: ExpressibleByArgument {}
extension AnswerForm: ExpressibleByArgument {}

/// Options that shape how the model reasons.
struct ReasoningOptions: ParsableArguments {
    @Option(name: .long, help: "Reasoning effort: none, low, medium, high or auto.")
    var effort: Effort = .medium

    @Option(name: .long, help: "Strategy: direct, cot, self-consistency, best-of-n, check-and-revise, tools or confident-vote (default: the effort's).")
    var strategy: StrategyKind?

    @Option(name: .long, help: "Parallel chains for self-consistency and best-of-n (1...64).")
    var samples: Int?

    @Option(name: .customLong("max-reasoning-tokens"), help: "Reasoning-token budget per chain.")
    var maxReasoningTokens: Int?

    @Option(name: .customLong("max-answer-tokens"), help: "Token limit of the answer after the reasoning.")
    var maxAnswerTokens: Int = 96

    @Option(name: .long, help: "How far the answer runs: line (the first line after the reasoning; numbers, short answers) or block (to the end of the turn; code, lists).")
    var answer: AnswerForm = .line

    @Option(name: .long, help: "Sampling temperature (default: 0 for one chain, 0.3 for several).")
    var temperature: Double?

    @Option(name: .long, help: "Random seed; chain i uses seed + i.")
    var seed: UInt32 = 0

    @Option(name: .customLong("agreement-window"), help: "Self-consistency: also stop once the first N chains agree (0 = off).")
    var agreementWindow: Int = 0

    @Option(name: .long, help: "A plain-text file of rules the answer must follow, one per line.")
    var policy: String?

    @Option(name: .long, help: "Tools inside the reasoning: none, auto (the calculator at effort medium and above for questions with numbers; the default), or a list such as calculator,python (always on).")
    var tools: String = "auto"

    @Option(name: .customLong("max-tool-calls"), help: "Most tool calls per chain (1...64).")
    var maxToolCalls: Int = 8

    @Option(name: .long, help: "A verifier file fitted on this model's chains (ponder train verifier): best-of-n, confident-vote and check-and-revise score chains with it.")
    var verifier: String?

    @OptionGroup(title: "Confidence") var confidence: ConfidenceOptions

    /// The validated configuration. With `sandbox`, a python tool gets a sandbox built now (and an
    /// error when it cannot be set up); without, a runner that reports the problem at each run
    /// (for parsing and validation).
    func configuration(sandbox: SandboxOptions? = nil) throws -> ReasoningConfiguration {
        var rules: String?
        if let policy {
            guard let text = try? String(contentsOfFile: policy, encoding: .utf8) else {
                throw ReasoningError.unreadablePolicy(path: policy)
            }
            rules = text
        }
        var selection = try ToolSelection(parsing: tools)
        if strategy == .tools, selection.isAutomatic {
            selection = ToolSelection(names: selection.names, isAutomatic: false)   // the tools strategy always uses them
        }
        let toolUse = try sandbox?.toolUse(selection, maxCallsPerChain: maxToolCalls)
            ?? selection.toolUse(codeRunner: SandboxCodeRunner(), maxCallsPerChain: maxToolCalls)
        return try ReasoningConfiguration(effort: effort, strategy: strategy, samples: samples, maxReasoningTokens: maxReasoningTokens,
                                          maxAnswerTokens: maxAnswerTokens, temperature: temperature, seed: seed, policy: rules,
                                          agreementWindow: agreementWindow, tools: toolUse, answerForm: answer,
                                          confidence: confidence.settings())
    }

    mutating func validate() throws {
        do { _ = try configuration() } catch { throw ValidationError("\(error)") }
    }
}
