import Foundation
import PonderCore
import PonderEval
import PonderLlama
import PonderReasoning
import PonderTesting
@testable import PonderTraining

/// A lookup table standing in for the exact evaluator in unit tests: plain numbers are themselves,
/// listed expressions have listed values, anything else is not an expression.
struct TableEvaluator: ExpressionEvaluating {
    var table: [String: Int]

    func canonicalValue(of expression: String) -> String? {
        if let value = Int(expression) { return String(value) }
        return table[expression].map(String.init)
    }
}

/// The two operands of "What is A + B?".
func operands(of question: String) -> (Int, Int)? {
    let numbers = question.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    return numbers.count >= 2 ? (numbers[0], numbers[1]) : nil
}

/// A correct chain for "What is A + B?".
func rightChain(_ question: String) -> String {
    guard let (a, b) = operands(of: question) else { return "I do not know.\nAnswer: 0\n" }
    return "1. \(a) + \(b) = \(a + b)\nAnswer: \(a + b)\n"
}

/// A wrong chain for "What is A + B?".
func wrongChain(_ question: String) -> String {
    guard let (a, b) = operands(of: question) else { return "Answer: 0\n" }
    return "1. \(a) + \(b) = \(a + b + 1)\nAnswer: \(a + b + 1)\n"
}

func addition(_ id: String, _ a: Int, _ b: Int) -> EvalProblem {
    EvalProblem(id: id, question: "What is \(a) + \(b)?", expected: String(a + b), kind: .number)
}

/// Thrown by a stage hook to simulate a kill.
struct SimulatedKill: Error {}

/// A scripted training runtime: models are `ScriptedModel`s (the base solves only questions with an
/// even first operand, any tuned model solves all), conversion copies files, fine-tuning writes a file.
final class ScriptedBackend: TrainingBackend, @unchecked Sendable {
    private let lock = NSLock()
    private var models: [ScriptedModel] = []
    private var tunes = 0
    var failConversion = false
    /// Problems the base model can only solve with a hint.
    var hardQuestions: Set<String> = []

    func languageModel(path: String) throws -> any LanguageModel {
        let tuned = path.contains("round-")
        let hard = hardQuestions
        let model = ScriptedModel { call in
            let user = call.lastUserMessage ?? ""
            let question = user.components(separatedBy: "\n\nHint:").first ?? user
            if user.contains("Hint:") { return .init(rightChain(question)) }
            if hard.contains(question) { return .init(wrongChain(question)) }
            if call.prompt.isReplay { return .init("Hello there!") }
            guard let (a, _) = operands(of: question) else { return .init("Hello there!") }
            return .init(tuned || a % 2 == 0 ? rightChain(question) : wrongChain(question))
        }
        lock.withLock { models.append(model) }
        return model
    }

    func convert(input: String, output: String, to type: LlamaFileType) throws {
        if failConversion { throw LlamaError.notGGUF(path: input) }
        try Data("\(type.rawValue) of \(input)".utf8).write(to: URL(fileURLWithPath: output))
    }

    func restoreMetadata(in path: String, from reference: String) throws {}

    func fineTune(_ job: FineTuneJob, progress: @escaping @Sendable (FineTuneProgress) -> Void) async throws -> FineTuneReport {
        lock.withLock { tunes += 1 }
        try Data("tuned".utf8).write(to: URL(fileURLWithPath: job.output))
        var report = FineTuneReport()
        report.trainingExamples = job.examples.count
        report.steps = job.examples.count
        return report
    }

    var fineTunes: Int { lock.withLock { tunes } }
    var requests: [GenerationRequest] { lock.withLock { models.flatMap(\.requests) } }
}

extension Prompt {
    /// Replay prompts are plain chats without the reasoning instructions.
    var isReplay: Bool {
        if case .chat(let messages) = self { return !messages.contains { $0.role == .system } }
        return false
    }
}

func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("ponder-train-\(UUID().uuidString)")
}
