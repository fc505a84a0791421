import PonderCore

/// Wraps a model and waits `delay` before passing each request on: slows scripted runs down so
/// that two processes overlap, or a kill has time to land, without changing what they produce.
public struct DelayedModel: LanguageModel {
    /// The model that answers.
    public let base: any LanguageModel
    /// The wait before every request.
    public let delay: Duration

    /// Wraps `base`.
    public init(base: any LanguageModel, delay: Duration) {
        self.base = base
        self.delay = delay
    }

    public var info: ModelInfo { base.info }

    /// The base model's load.
    public var load: EngineLoad? { base.load }

    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        .producing { [base, delay] continuation in
            try await Task.sleep(for: delay)
            for try await event in base.generate(request) { continuation.yield(event) }
        }
    }
}
