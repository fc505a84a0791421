import PonderCore

/// The model as a run sees it: every generation reports its first output (`.started`) and each
/// finished sequence's usage to the run's recorder, so the run's events say when the model
/// started and what it spent. Events and cancellation pass straight through.
struct RunModel: LanguageModel {
    let base: any LanguageModel
    let recorder: TraceRecorder

    var info: ModelInfo { base.info }

    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        let upstream = base.generate(request)
        let recorder = self.recorder
        return .producing { continuation in
            for try await event in upstream {
                // An error before the first event is not a start: it reaches the consumer before
                // any output (a prompt that does not fit).
                if case .finished(let finish) = event {
                    recorder.sequenceDidFinish(finish.usage)
                } else {
                    recorder.modelDidStart()
                }
                continuation.yield(event)
            }
        }
    }
}
