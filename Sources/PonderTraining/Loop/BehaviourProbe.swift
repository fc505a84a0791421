import Foundation
import PonderCore

/// Everyday prompts that measure general behaviour before and after training (issue 16's
/// "no regressions" control). None of them is a replay prompt (`ReplayPrompts.all`), so training
/// never saw them.
public enum BehaviourPrompts {
    /// The built-in probe prompts.
    public static let all: [String] = [
        "Say good morning in one short sentence.",
        "Name three animals that live on a farm.",
        "What is the capital of Italy?",
        "Give me one tip for staying focused.",
        "Write a one-sentence description of a dog.",
        "What month comes after March?",
        "Name two vegetables that are green.",
        "Suggest a name for a goldfish.",
        "What is ice made of?",
        "Describe a rainy day in one sentence.",
        "List three things you might find in a school bag.",
        "What do cows give us?",
        "Give a synonym for big.",
        "Translate 'hello' into French.",
        "What season comes after summer?",
        "Name a star other than the Sun.",
        "Write a short thank-you note to a friend.",
        "What is the opposite of fast?",
        "Name a bird that cannot fly.",
        "How many hours are in a day?",
        "What do people need to stay healthy?",
        "Give one reason to go for a walk.",
        "What is a good lunch food?",
        "Name a musical instrument you blow into.",
        "What color is a ripe banana?",
        "Name three shapes.",
        "What is the largest ocean on Earth?",
        "Give one tip for saving money.",
        "Write a one-sentence story about a robot.",
        "What do you call a baby cat?",
        "Name two things that are cold.",
        "Suggest a title for a book about the sea.",
        "What is the boiling point of water in Celsius?",
        "Describe a tree in one sentence.",
        "List three sports played with a ball.",
        "What do spiders make?",
        "Give an antonym for early.",
        "Translate 'goodbye' into Spanish.",
        "What holiday comes at the end of December?",
        "Name a country in South America.",
    ]
}

/// What one model does on the everyday probe prompts: how many greedy answers end their turn, and
/// how well its weights predict the base model's own answers (perplexity; lower is closer).
public struct BehaviourResult: Sendable, Hashable, Codable {
    /// The model measured (the shipped file).
    public var model: String
    /// Prompts answered.
    public var prompts: Int
    /// Greedy answers that ended their turn within `BehaviourProbe.maxTokens`.
    public var endedTurn: Int
    /// `endedTurn / prompts`.
    public var endedTurnShare: Double
    /// Mean tokens per greedy answer.
    public var meanAnswerTokens: Double
    /// exp of the mean cross-entropy per token of the base model's answers (those that ended their
    /// turn, their end-of-turn token included) under `weights`; nil when the model has no F32 weights.
    public var perplexity: Double?
    /// The F32 file the perplexity was computed with.
    public var weights: String?
    /// Tokens the perplexity covers.
    public var scoredTokens: Int
    /// Wall time in seconds.
    public var seconds: Double
}

/// One probe prompt and the base model's greedy answer: the text other models' perplexity is
/// computed on.
public struct BehaviourAnswer: Sendable, Hashable, Codable {
    /// The prompt.
    public var prompt: String
    /// The greedy answer, trimmed.
    public var answer: String
    /// Whether it ended its turn.
    public var ended: Bool
    /// Its tokens.
    public var tokens: Int
}

/// Measures general behaviour on everyday prompts: greedy answers (no reasoning) and the
/// perplexity of reference answers under F32 weights (`Trainer.loss`, assistant tokens only).
public struct BehaviourProbe: Sendable {
    /// The prompts.
    public let prompts: [String]
    /// Most tokens per greedy answer.
    public static let maxTokens = 128
    /// Answers generated at once.
    public static let parallel = 8
    /// The window the perplexity is computed in (a probe prompt and a whole answer fit).
    public static let window = 256

    /// Creates a probe.
    public init(prompts: [String]) {
        self.prompts = prompts
    }

    /// `model`'s greedy answer to every prompt, in prompt order.
    public func answers(_ model: any LanguageModel) async throws -> [BehaviourAnswer] {
        let sampling = try SamplingParameters(temperature: 0, seed: 0, maxTokens: Self.maxTokens)
        var answers = [BehaviourAnswer?](repeating: nil, count: prompts.count)
        for start in stride(from: 0, to: prompts.count, by: Self.parallel) {
            let batch = Array(start..<min(start + Self.parallel, prompts.count))
            try await withThrowingTaskGroup(of: (Int, BehaviourAnswer).self) { group in
                for index in batch {
                    let prompt = prompts[index]
                    group.addTask {
                        let completion = try await model.complete(.chat([.user(prompt)], sampling: sampling))[0]
                        return (index, BehaviourAnswer(prompt: prompt, answer: completion.text.trimmingCharacters(in: .whitespacesAndNewlines),
                                                       ended: completion.finishReason == .stop, tokens: completion.tokens.count))
                    }
                }
                for try await (index, answer) in group { answers[index] = answer }
            }
        }
        return answers.compactMap { $0 }
    }

    /// exp of the token-weighted mean cross-entropy of the reference answers that ended their turn
    /// (non-empty), under `trainer`'s weights, and the tokens it covers; nil when none fits the
    /// trainer's window of `window` tokens.
    public static func perplexity(of references: [BehaviourAnswer], trainer: any Trainer, window: Int) throws -> (perplexity: Double, tokens: Int)? {
        var total = 0.0, count = 0
        for reference in references where reference.ended && !reference.answer.isEmpty {
            let conversation: [ChatMessage] = [.user(reference.prompt), .assistant(reference.answer)]
            let tokens = try trainer.tokens(of: conversation)
            guard tokens.count <= window + 1 else { continue }
            let promptLength = try trainer.promptLength(of: conversation)
            let weights = type(of: trainer).assistantWeights(count: tokens.count, promptLength: promptLength)
            let scored = weights.filter { $0 != 0 }.count
            guard scored > 0 else { continue }
            let loss = try trainer.loss(tokens, weights: weights, padToken: trainer.endOfTurnToken)
            guard loss.isFinite else { continue }
            total += loss * Double(scored)
            count += scored
        }
        guard count > 0 else { return nil }
        return (Foundation.exp(total / Double(count)), count)
    }
}
