import Foundation
import PonderCore

/// A `LanguageModel` that replays scripted replies, for testing strategy logic without a real
/// model. Each reply is split into word-sized "tokens" (a space starts a new token); steering is
/// honoured token by token like the real engine does, a stop string ends a reply before the token that completes it, and `maxTokens`
/// counts these tokens. Verifier-style requests (`topLogprobs > 0`) get a one-token "Yes"/"No"
/// reply whose alternatives carry the scripted probability of "Yes".
public final class ScriptedModel: LanguageModel, @unchecked Sendable {
    /// One scripted reply.
    public struct Reply: Sendable {
        /// The text the "model" writes.
        public var text: String
        /// What it writes after a steerer forced text in at the end (e.g. the answer after a forced marker).
        public var afterInjection: String
        /// For verifier requests: the probability of "Yes".
        public var yesProbability: Double
        /// When true, injections (tool results) do not replace the rest of `text`: the reply goes on.
        public var continuesAfterInjection: Bool
        /// The confidence of each sampled token, in order, when the request asks for confidences
        /// (`confidenceTopK > 0`); tokens past the end of the list get `defaultConfidence`.
        public var confidences: [Double]

        /// The confidence of a token the script gives none for.
        public static let defaultConfidence = 10.0

        /// Creates a reply.
        public init(_ text: String, afterInjection: String = "", yesProbability: Double = 0.5, continuesAfterInjection: Bool = false,
                    confidences: [Double] = []) {
            self.text = text
            self.afterInjection = afterInjection
            self.yesProbability = yesProbability
            self.continuesAfterInjection = continuesAfterInjection
            self.confidences = confidences
        }
    }

    /// What the script sees for each sequence it must answer.
    public struct Call: Sendable {
        /// The request's prompt.
        public var prompt: Prompt
        /// Parallel sequence index.
        public var sequence: Int
        /// Whether this is a verifier-style request (asks for top logprobs).
        public var isJudgement: Bool
        /// The last user message of a chat prompt, if any.
        public var lastUserMessage: String? {
            switch prompt {
            case .chat(let messages), .continuation(let messages, _): return messages.last { $0.role == .user }?.content
            case .text, .tokens: return nil
            }
        }
    }

    public let info: ModelInfo
    private let script: @Sendable (Call) -> Reply
    private let lock = NSLock()
    private var recorded: [GenerationRequest] = []

    /// Creates a scripted model; `script` is called once per sequence of every request.
    public init(info: ModelInfo = ModelInfo(name: "scripted", contextLength: 4096), script: @escaping @Sendable (Call) -> Reply) {
        self.info = info
        self.script = script
    }

    /// Every request received, in order.
    public var requests: [GenerationRequest] { lock.withLock { recorded } }

    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        lock.withLock { recorded.append(request) }
        return .producing { [script] continuation in
            for index in 0..<request.count {
                if Task.isCancelled { break }
                let call = Call(prompt: request.prompt, sequence: index, isJudgement: request.topLogprobs > 0)
                await Self.play(script(call), request: request, index: index, call: call, into: continuation)
                await Task.yield()
            }
        }
    }

    /// Splits text into word-sized tokens: each token starts at a space (or the beginning).
    public static func tokens(of text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            if character == " " || character == "\n", !current.isEmpty, !current.allSatisfy({ $0 == " " || $0 == "\n" }) {
                pieces.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    private static func play(_ reply: Reply, request: GenerationRequest, index: Int, call: Call,
                             into continuation: AsyncThrowingStream<GenerationEvent, Error>.Continuation) async {
        let promptTokens = 10
        if call.isJudgement {
            let yes = TokenLogprob(token: 1, text: "Yes", logprob: log(max(reply.yesProbability, 1e-9)))
            let no = TokenLogprob(token: 2, text: "No", logprob: log(max(1 - reply.yesProbability, 1e-9)))
            let first = reply.yesProbability >= 0.5 ? yes : no
            continuation.yield(.text(TextDelta(sequence: index, text: first.text, tokens: [first.token],
                                               logprobs: [first.logprob], topLogprobs: [[first, reply.yesProbability >= 0.5 ? no : yes]])))
            continuation.yield(.finished(SequenceFinish(sequence: index, reason: .length, usage: Usage(promptTokens: promptTokens, completionTokens: 1))))
            return
        }
        let steerer = request.steering?.makeSteerer(sequence: index)
        var queue = tokens(of: reply.text)
        var sampled = 0
        var injected = 0
        var usedAfterInjection = false
        var reason = FinishReason.stop
        var text = ""
        func finish() {
            continuation.yield(.finished(SequenceFinish(sequence: index, reason: reason,
                                                        usage: Usage(promptTokens: promptTokens, completionTokens: sampled, injectedTokens: injected))))
        }
        while true {
            guard !queue.isEmpty else {
                // End of the scripted text: the steerer may refuse the end.
                if let steerer, case .inject(let injection) = steerer.willEnd(sampledTokens: sampled) {
                    let forced = injection.text
                    injected += tokens(of: forced).count
                    continuation.yield(.text(TextDelta(sequence: index, text: forced, tokens: [], injection: injection.purpose)))
                    if !usedAfterInjection { queue = tokens(of: reply.afterInjection); usedAfterInjection = true }
                    if queue.isEmpty { break }
                    continue
                }
                break
            }
            let piece = queue.removeFirst()
            text += piece
            // A stop string ends the reply before the token that completes it.
            if request.sampling.stop.contains(where: { text.contains($0) }) { break }
            sampled += 1
            var confidences: [Double]?
            if request.confidenceTopK > 0 {
                let confidence = sampled <= reply.confidences.count ? reply.confidences[sampled - 1] : Reply.defaultConfidence
                confidences = [confidence]
                steerer?.observe(confidence: confidence)
            }
            continuation.yield(.text(TextDelta(sequence: index, text: piece, tokens: [Int32(sampled)], confidences: confidences)))
            if let steerer {
                switch steerer.observe(text: piece, sampledTokens: sampled) {
                case .proceed: break
                case .stop: finish(); return
                case .inject(let injection):
                    let forced = injection.text
                    injected += tokens(of: forced).count
                    continuation.yield(.text(TextDelta(sequence: index, text: forced, tokens: Array(repeating: 0, count: tokens(of: forced).count),
                                                       injection: injection.purpose)))
                    if !usedAfterInjection, !reply.continuesAfterInjection { queue = tokens(of: reply.afterInjection); usedAfterInjection = true }
                case .injectWhenReady(let pending):
                    // As the engine does: a cancelled generation cancels the tool's work (a running program).
                    await withTaskCancellationHandler {
                        await withCheckedContinuation { (ready: CheckedContinuation<Void, Never>) in pending.whenReady { ready.resume() } }
                    } onCancel: { pending.cancel() }
                    if Task.isCancelled { return }
                    let forced = pending.text ?? ""
                    steerer.didInject(forced)
                    injected += tokens(of: forced).count
                    continuation.yield(.text(TextDelta(sequence: index, text: forced, tokens: Array(repeating: 0, count: tokens(of: forced).count),
                                                       injection: pending.purpose)))
                }
            }
            if sampled >= request.sampling.maxTokens { reason = .length; break }
        }
        finish()
    }
}
