import Foundation
import PonderCore
import PonderLlama
import PonderTesting
import PonderTraining

/// A scripted training runtime for tests and the kill harness: models are `ScriptedModel`s that
/// answer "What is A + B?" (the base model only when A is even, any tuned model always, anyone
/// when given the answer as a hint); conversion and the `ScriptedTrainer` write small files
/// through `PartialFile` like the real ones, and PonderTraining's own `FineTuneLoop` drives the
/// trainer. Outputs depend only on the prompts, never on timing, so two runs with the same
/// settings write the same chains and datasets; `delay` slows every request and fine-tune (to
/// give a kill time to land) without changing what is written.
public final class ScriptedTrainingBackend: TrainingBackend, @unchecked Sendable {
    private let lock = NSLock()
    private var models: [ScriptedModel] = []
    private var tunes = 0
    private var trainers: [ScriptedTrainer] = []
    private let delay: Duration
    /// When true, every conversion fails as if the file were not a model.
    public var failConversion = false
    /// Questions the base model gets wrong unless it is given a hint.
    public var hardQuestions: Set<String> = []
    /// When true, trainers spell the assistant's answer one byte per token (`ScriptedTrainer.spellsAnswer`).
    public var spellAnswers = false

    /// Creates a backend; `delay` is spent before every request and every fine-tune.
    public init(delay: Duration = .zero) {
        self.delay = delay
    }

    public func languageModel(path: String) throws -> any LanguageModel {
        let tuned = path.contains("round-")
        let hard = hardQuestions
        let model = ScriptedModel { call in
            let user = call.lastUserMessage ?? ""
            let question = user.components(separatedBy: "\n\nHint:").first ?? user
            if user.contains("Hint:") { return .init(ScriptedArithmetic.rightChain(question)) }
            if hard.contains(question) { return .init(ScriptedArithmetic.wrongChain(question)) }
            if Self.isReplay(call.prompt) { return .init("Hello there!") }
            guard let (a, _) = ScriptedArithmetic.operands(of: question) else { return .init("Hello there!") }
            return .init(tuned || a % 2 == 0 ? ScriptedArithmetic.rightChain(question) : ScriptedArithmetic.wrongChain(question))
        }
        lock.withLock { models.append(model) }
        return delay == .zero ? model : DelayedModel(base: model, delay: delay)
    }

    public func convert(input: String, output: String, to type: WeightType) throws {
        if failConversion { throw LlamaError.notGGUF(path: input) }
        try PartialFile.write(to: output) { partial in
            try Data("\(type.rawValue) of \(input)".utf8).write(to: URL(fileURLWithPath: partial))
        }
    }

    public func restoreMetadata(in path: String, from reference: String) throws {}

    /// A `ScriptedTrainer`, after `delay` × 4 (PonderTraining's `FineTuneLoop` calls this on its
    /// own thread, so the wait blocks no task).
    public func makeTrainer(modelPath: String, settings: TrainerSettings) throws -> any Trainer {
        if delay != .zero { Thread.sleep(forTimeInterval: Self.seconds(delay * 4)) }
        let trainer = ScriptedTrainer(spellsAnswer: spellAnswers)
        lock.withLock { tunes += 1; trainers.append(trainer) }
        return trainer
    }

    /// Fine-tunes started so far (trainers made).
    public var fineTunes: Int { lock.withLock { tunes } }
    /// The trainers made, in order.
    public var madeTrainers: [ScriptedTrainer] { lock.withLock { trainers } }
    /// Every request any of its models received.
    public var requests: [GenerationRequest] { lock.withLock { models.flatMap(\.requests) } }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Replay prompts are plain chats without the reasoning instructions.
    static func isReplay(_ prompt: Prompt) -> Bool {
        if case .chat(let messages) = prompt { return !messages.contains { $0.role == .system } }
        return false
    }
}

/// A trainer without a model: one token per message then the end-of-turn token 0, a loss that
/// falls with every step, and weights saved as the text "tuned" through `PartialFile`.
public final class ScriptedTrainer: Trainer, @unchecked Sendable {
    /// Steps taken.
    public private(set) var steps = 0
    /// Whether the last message is tokenized one byte per token (1000 + the byte), so masked
    /// spans can be placed on it; otherwise it is one token like every message.
    public let spellsAnswer: Bool

    /// Creates a trainer.
    public init(spellsAnswer: Bool = false) {
        self.spellsAnswer = spellsAnswer
    }

    public var endOfTurnToken: Int32 { 0 }
    public var learningRate: Double { 1e-5 }

    /// One token per message (1 + the message's length in bytes, mod 1,000), then 0; with
    /// `spellsAnswer`, the last message is one token per byte instead.
    public func tokens(of conversation: [ChatMessage]) throws -> [Int32] {
        guard spellsAnswer, let last = conversation.last else {
            return conversation.map { 1 + Int32($0.content.utf8.count % 1_000) } + [endOfTurnToken]
        }
        return conversation.dropLast().map { 1 + Int32($0.content.utf8.count % 1_000) } + last.content.utf8.map { 1_000 + Int32($0) } + [endOfTurnToken]
    }

    /// The weights of every step, in order (nil for an unweighted step).
    public private(set) var stepWeights: [[Float]?] = []

    /// A spelled byte's text; every other token stands for no text.
    public func tokenBytes(_ token: Int32) -> [UInt8] { token >= 1_000 && token < 1_256 ? [UInt8(token - 1_000)] : [] }

    /// One token per message before the last.
    public func promptLength(of conversation: [ChatMessage]) throws -> Int { conversation.count - 1 }

    public func step(_ tokens: [Int32], weights: [Float]?, padToken: Int32) throws -> Double {
        steps += 1
        stepWeights.append(weights)
        return 1 / Double(steps)
    }

    public func loss(_ tokens: [Int32], weights: [Float]?, padToken: Int32) throws -> Double { 1 / Double(steps + 1) }

    public func save(to path: String) throws {
        try PartialFile.write(to: path) { partial in try Data("tuned".utf8).write(to: URL(fileURLWithPath: partial)) }
    }
}

/// Scripted chains for "What is A + B?".
public enum ScriptedArithmetic {
    /// The first two numbers of a question.
    public static func operands(of question: String) -> (Int, Int)? {
        let numbers = question.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return numbers.count >= 2 ? (numbers[0], numbers[1]) : nil
    }

    /// A correct chain.
    public static func rightChain(_ question: String) -> String {
        guard let (a, b) = operands(of: question) else { return "I do not know.\nAnswer: 0\n" }
        return "1. \(a) + \(b) = \(a + b)\nAnswer: \(a + b)\n"
    }

    /// A wrong chain (off by one).
    public static func wrongChain(_ question: String) -> String {
        guard let (a, b) = operands(of: question) else { return "Answer: 0\n" }
        return "1. \(a) + \(b) = \(a + b + 1)\nAnswer: \(a + b + 1)\n"
    }
}
