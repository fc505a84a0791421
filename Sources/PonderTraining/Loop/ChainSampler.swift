import Foundation
import PonderCore
import PonderReasoning

/// Samples K reasoning chains for one problem in one parallel request, through the reasoning core
/// itself (`Reasoner`, strategy best-of-n with a verifier that scores nothing), so the chains use
/// exactly the thinking format, instructions and budget forcing that inference uses. The prompt and
/// each chain's raw text are recorded on the way through, and become the training conversation.
public struct ChainSampler: Sendable {
    /// The model that samples.
    public let model: any LanguageModel
    /// Reasoning-token budget per chain.
    public let maxReasoningTokens: Int
    /// Sampling temperature (0...2).
    public let temperature: Double

    /// Creates a sampler.
    public init(model: any LanguageModel, maxReasoningTokens: Int, temperature: Double) {
        self.model = model
        self.maxReasoningTokens = maxReasoningTokens
        self.temperature = temperature
    }

    /// Samples `count` chains for `question`. With a `hint`, the model sees the question followed by
    /// the hint, and the recorded conversation has the plain question (rationalization).
    public func sample(question: String, hint: String? = nil, count: Int, seed: UInt32) async throws -> [SampledChain] {
        let recorder = RecordingModel(base: model)
        let reasoner = Reasoner(model: recorder)
        let configuration = try ReasoningConfiguration(
            effort: .medium, strategy: .bestOfN, samples: count, maxReasoningTokens: maxReasoningTokens,
            temperature: temperature, seed: seed, verifier: NoScore())
        let asked = hint.map { question + "\n\n" + $0 } ?? question
        let trace = try await reasoner.answer(asked, configuration: configuration)
        guard let recorded = recorder.chainRequest(count: count) else { return [] }
        let messages = recorded.messages.map { message in
            message.role == .user && message.content == asked ? ChatMessage.user(question) : message
        }
        return trace.samples.enumerated().map { index, chain in
            SampledChain(messages: messages,
                         completion: (recorded.prefix + recorded.texts[index, default: ""]).trimmingCharacters(in: .whitespacesAndNewlines),
                         reasoning: chain.reasoning, answer: chain.answer, extractedAnswer: chain.extractedAnswer,
                         budgetForced: chain.budgetForced, forcedAtEnd: chain.forcedAtEnd, sequence: index, seed: seed)
        }
    }
}

/// A verifier that scores nothing, so best-of-n only runs the chains.
private struct NoScore: Verifier {
    func score(question: String, answer: String, extracted: String?) async throws -> Double { 0 }
}

/// Passes requests to a model and records the prompt and the text of every sequence.
private final class RecordingModel: LanguageModel, @unchecked Sendable {
    struct Recorded {
        var messages: [ChatMessage]
        var prefix: String
        var count: Int
        var texts: [Int: String]
    }

    let base: any LanguageModel
    private let lock = NSLock()
    private var requests: [Recorded] = []

    init(base: any LanguageModel) { self.base = base }

    var info: ModelInfo { base.info }

    func chainRequest(count: Int) -> Recorded? {
        lock.withLock { requests.last { $0.count == count } }
    }

    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        let slot: Int? = {
            switch request.prompt {
            case .chat(let messages):
                return lock.withLock { requests.append(Recorded(messages: messages, prefix: "", count: request.count, texts: [:])); return requests.count - 1 }
            case .continuation(let messages, let prefix):
                return lock.withLock { requests.append(Recorded(messages: messages, prefix: prefix, count: request.count, texts: [:])); return requests.count - 1 }
            case .text, .tokens:
                return nil
            }
        }()
        let upstream = base.generate(request)
        guard let slot else { return upstream }
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, Error>.makeStream()
        let task = Task { [weak self] in
            do {
                for try await event in upstream {
                    if case .text(let delta) = event, let self {
                        self.lock.withLock { self.requests[slot].texts[delta.sequence, default: ""] += delta.text }
                    }
                    continuation.yield(event)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
