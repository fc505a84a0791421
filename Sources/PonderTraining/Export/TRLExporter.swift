import Foundation
import PonderCore
import PonderEval

/// Writes a run's verified chains for training larger models elsewhere (TRL / accelerate on GPUs):
///
/// - `sft/train.jsonl`: every kept chain of every round (sampled and rationalized; replay examples
///   are left out, they are the small base model's own answers), `{"messages": [...]}` only, which
///   TRL's SFT trainer and OpenAI's fine-tuning both accept;
/// - `grpo/train.jsonl`: every training problem as `{"prompt": [...], "answer": "…"}` (the prompt
///   has the same system instructions the chains were sampled with) for GRPO;
/// - `provenance.jsonl`: the kept chains with round, source, seed and problem id;
/// - `ponder_reward.py`: a GRPO reward function that scores completions with Ponder's verifier
///   (`ponder train reward`);
/// - `COMMANDS.md`: the exact commands.
public struct TRLExporter: Sendable {
    /// The run directory of `ponder train star`.
    public let runDirectory: URL

    /// Creates an exporter for a run.
    public init(runDirectory: URL) {
        self.runDirectory = runDirectory
    }

    /// What was written.
    public struct Summary: Sendable, Hashable {
        /// SFT conversations written.
        public var conversations: Int
        /// GRPO prompts written.
        public var prompts: Int
        /// Rounds read.
        public var rounds: Int
    }

    /// Exports into `directory` (created if needed).
    /// - Throws: `TrainingError.nothingToExport` when the run has no kept chain, `.writeFailed`.
    public func export(to directory: URL, model: String = "HuggingFaceTB/SmolLM2-135M-Instruct") throws -> Summary {
        var examples: [TrainingExample] = []
        var rounds = 0
        var round = 1
        while true {
            let file = runDirectory.appendingPathComponent("round-\(round)/dataset.jsonl")
            guard FileManager.default.fileExists(atPath: file.path) else { break }
            examples += try TrainingExample.read(from: file).filter { $0.provenance.source != .replay }
            rounds += 1
            round += 1
        }
        guard !examples.isEmpty else { throw TrainingError.nothingToExport(directory: runDirectory.path) }
        try TrainingExample.write(examples, to: directory.appendingPathComponent("sft/train.jsonl"), provenance: false)
        try TrainingExample.write(examples, to: directory.appendingPathComponent("provenance.jsonl"), provenance: true)

        let problems = try JSONLFile(runDirectory.appendingPathComponent("train-problems.jsonl")).read(EvalProblem.self)
        let system = examples.first?.messages.first { $0.role == .system }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for problem in problems {
            let prompt = (system.map { [$0] } ?? []) + [.user(problem.question)]
            data.append(try encoder.encode(GRPORecord(prompt: prompt, answer: problem.expected, question: problem.question)))
            data.append(UInt8(ascii: "\n"))
        }
        try RunFiles.write(data, to: directory.appendingPathComponent("grpo/train.jsonl"))
        try RunFiles.write(Data(TRLScripts.reward.utf8), to: directory.appendingPathComponent("ponder_reward.py"))
        try RunFiles.write(Data(TRLScripts.grpo.utf8), to: directory.appendingPathComponent("grpo.py"))
        try RunFiles.write(Data(TRLScripts.commands(model: model).utf8), to: directory.appendingPathComponent("COMMANDS.md"))
        return Summary(conversations: examples.count, prompts: problems.count, rounds: rounds)
    }
}

/// One GRPO prompt: TRL passes extra columns (`answer`, `question`) to reward functions.
private struct GRPORecord: Encodable {
    var prompt: [ChatMessage]
    var answer: String
    var question: String
}
