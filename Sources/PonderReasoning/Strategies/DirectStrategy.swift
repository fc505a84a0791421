import PonderCore

/// No reasoning: the model answers the conversation as is. The answer streams as it is written
/// (trimmed at both ends, and stopped by the engine at a stop string) unless a policy check must
/// see it first.
struct DirectStrategy: ReasoningStrategy {
    func solve(_ run: ReasoningRun) async throws -> Outcome {
        let plan = run.plan
        let sampling = try SamplingParameters(temperature: plan.temperature, topP: plan.topP, seed: run.configuration.seed,
                                              maxTokens: plan.answerBudget, stop: plan.stop)
        var streamer = AnswerLineStreamer(endsAtNewline: false)
        var answer = ""
        let streams = run.configuration.policy == nil
        var finish: SequenceFinish?
        for try await event in run.model.generate(try .chat(run.messages, sampling: sampling)) {
            switch event {
            case .text(let delta):
                let shown = streamer.feed(delta.text)
                answer += shown
                if streams, !shown.isEmpty { run.recorder.streamAnswerText(shown, announced: false) }
            case .finished(let done):
                finish = done
            }
        }
        try Task.checkCancellation()
        run.recorder.addAnswerTokens(finish?.usage.completionTokens ?? 0)
        return Outcome(answer: answer, extracted: run.normalizer.normalize(answer), chains: [], votes: [:],
                       finishReason: finish?.reason == .length ? .length : .stop)
    }
}
