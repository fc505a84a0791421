import Foundation
import PonderCore
import Synchronization

/// One submitted request as the decode thread sees it: tokenized prompt, sampling, the stream to
/// feed, and a cancellation flag the consumer side sets.
final class GenerationJob: Sendable {
    let promptTokens: [Int32]
    let request: GenerationRequest
    let continuation: AsyncThrowingStream<GenerationEvent, Error>.Continuation
    /// Benchmarks only: keep generating past end-of-generation tokens, as llama-bench does.
    let ignoreEndOfGeneration: Bool
    let cancelled = Atomic<Bool>(false)
    /// Timestamps (uptime nanoseconds) set by the decode thread: prompt decoded, last sequence done.
    let timing = Mutex<JobTiming>(JobTiming())

    init(promptTokens: [Int32], request: GenerationRequest,
         continuation: AsyncThrowingStream<GenerationEvent, Error>.Continuation, ignoreEndOfGeneration: Bool = false) {
        self.promptTokens = promptTokens
        self.request = request
        self.continuation = continuation
        self.ignoreEndOfGeneration = ignoreEndOfGeneration
    }

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
    func cancel() { cancelled.store(true, ordering: .relaxed) }
}

/// When the phases of a job happened, in `DispatchTime` uptime nanoseconds.
struct JobTiming: Sendable {
    var admitted: UInt64 = 0
    var promptDecoded: UInt64 = 0
    var finished: UInt64 = 0
}

/// One live sequence on the decode thread.
struct ActiveSequence {
    let job: GenerationJob
    /// Index among the job's parallel samples.
    let index: Int
    /// llama.cpp sequence id (a KV slot).
    let slot: Int32
    let sampler: LlamaSampler
    let steerer: (any SequenceSteerer)?
    var filter: StreamingTextFilter
    /// Position of the next token to decode.
    var position: Int
    /// Tokens to feed before sampling again: the last sampled token, plus any injected text.
    var pendingInput: [Int32] = []
    /// Tokens sampled from the model.
    var generated = 0
    /// Tokens forced in by the steerer.
    var injected = 0
    var unsentTokens: [Int32] = []
    var unsentLogprobs: [Double] = []
    var unsentTopLogprobs: [[TokenLogprob]] = []
    var unsentConfidences: [Double] = []
    /// Where this sequence's logits are in the current batch, or -1 when it is not sampled this step.
    var batchIndex: Int32 = -1
    /// A slow tool's text this sequence waits for; it is not decoded until the text is ready.
    var waiting: PendingInjection?
}
