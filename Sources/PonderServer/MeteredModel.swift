import PonderCore
import Synchronization

/// Wraps the served model for one choice: reports the first event of any generation (the
/// moment the request is known to fit and has started) and counts tokens, while passing every event
/// and cancellation straight through.
final class MeteredModel: LanguageModel, Sendable {
    let base: any LanguageModel
    private let onStart: @Sendable () -> Void
    private let onSampled: @Sendable (Int) -> Void
    private let state = Mutex(State())

    private struct State {
        var started = false
        var promptTokens: Int?
    }

    /// - Parameters:
    ///   - onStart: called once, when a generation yields its first event.
    ///   - onSampled: called with the number of sampled tokens of each finished sequence.
    init(_ base: any LanguageModel, onStart: @escaping @Sendable () -> Void, onSampled: @escaping @Sendable (Int) -> Void) {
        self.base = base
        self.onStart = onStart
        self.onSampled = onSampled
    }

    var info: ModelInfo { base.info }

    var load: EngineLoad? { base.load }

    /// Prompt tokens of the first generation (the conversation as the model saw it).
    var promptTokens: Int { state.withLock { $0.promptTokens ?? 0 } }

    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        let upstream = base.generate(request)
        // An error is not a start: it reaches the client before any byte is sent (e.g. a 400 for
        // a prompt that does not fit).
        return .producing { [self] continuation in
            for try await event in upstream {
                markStarted()
                if case .finished(let finish) = event {
                    state.withLock { $0.promptTokens = $0.promptTokens ?? finish.usage.promptTokens }
                    onSampled(finish.usage.completionTokens)
                }
                continuation.yield(event)
            }
        }
    }

    private func markStarted() {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        if first { onStart() }
    }
}
