import Dispatch
import Foundation
import PonderCore
import Synchronization

/// The engine's scheduler. One dedicated thread owns the context and drives it: it admits queued
/// requests between steps (prompt decoded once, its cells shared by the request's parallel
/// sequences), then decodes one token of every active sequence, of every request, per batch
/// (continuous batching, as llama.cpp's examples/parallel and its server do). Blocking
/// `llama_decode` calls therefore never run on Swift's cooperative pool.
final class DecodeLoop: @unchecked Sendable {
    private let context: LlamaContext
    private let model: LlamaModel
    private let queue = Mutex<[GenerationJob]>([])
    private let wakeUp = DispatchSemaphore(value: 0)
    private let running = Atomic<Bool>(true)
    /// Time spent in `llama_decode` during steps, and in sampling and streaming after them.
    let decodeNanoseconds = Atomic<UInt64>(0)
    let sampleNanoseconds = Atomic<UInt64>(0)
    private let statusSnapshot = Mutex(EngineLoad(activeSequences: 0, queuedRequests: 0, occupiedSlots: 0))

    // Decode-thread state only.
    private var active: [ActiveSequence] = []
    private var freeSlots: [Int32]
    private var remainingSequences: [ObjectIdentifier: Int] = [:]
    /// The request at the head of the queue found no free cache cells for its prompt (unified
    /// cache): it waits until a running sequence ends and frees some.
    private var admissionWaitsForCells = false
    private let batch: LlamaBatch
    /// Tests only: the next step's batch gets an out-of-vocabulary token, so `llama_decode` fails.
    let faultNextDecode = Atomic<Bool>(false)

    init(context: LlamaContext) {
        self.context = context
        self.model = context.model
        self.freeSlots = (0..<Int32(context.sequenceCapacity)).reversed()
        self.batch = LlamaBatch(capacity: max(context.batchCapacity, context.sequenceCapacity))
        let thread = Thread { [self] in run() }
        thread.name = "ponder-decode"
        thread.stackSize = 8 << 20
        thread.start()
    }

    var status: EngineLoad { statusSnapshot.withLock { $0 } }

    func submit(_ job: GenerationJob) {
        queue.withLock { $0.append(job) }
        wakeUp.signal()
    }

    /// Wakes the loop so it notices a cancellation at once.
    func poke() { wakeUp.signal() }

    /// Stops the loop; queued and running requests end with `LlamaError.engineStopped`.
    func stop() {
        running.store(false, ordering: .relaxed)
        wakeUp.signal()
    }

    // MARK: The loop

    private func run() {
        while running.load(ordering: .relaxed) {
            dropCancelled()
            admitQueued()
            publishStatus()
            if active.isEmpty {
                // Idle: start the next request from an empty cache, so its tokens sit in the first
                // cells and attention spans only what is used.
                context.clearMemory()
                wakeUp.wait()
                continue
            }
            step()
        }
        let queued = queue.withLock { jobs in defer { jobs.removeAll() }; return jobs }
        for job in queued { job.continuation.finish(throwing: LlamaError.engineStopped) }
        failAll(LlamaError.engineStopped)
        publishStatus()
    }

    private func publishStatus() {
        let queued = queue.withLock { $0.count }
        var occupied = 0
        for slot in 0..<Int32(context.sequenceCapacity) where context.isOccupied(slot) { occupied += 1 }
        statusSnapshot.withLock { $0 = EngineLoad(activeSequences: active.count, queuedRequests: queued, occupiedSlots: occupied) }
    }

    /// Admits queued requests in order while there are enough free slots.
    private func admitQueued() {
        while !admissionWaitsForCells {
            let next: GenerationJob? = queue.withLock { jobs in
                guard let first = jobs.first else { return nil }
                if first.isCancelled || first.request.count <= freeSlots.count { return jobs.removeFirst() }
                return nil
            }
            guard let job = next else { return }
            if job.isCancelled {
                job.continuation.finish()
                continue
            }
            if !admit(job) {
                // Back to the head of the queue, in order, until cells are freed.
                queue.withLock { $0.insert(job, at: 0) }
                admissionWaitsForCells = true
            }
        }
    }

    /// Decodes a job's prompt and starts its sequences.
    /// - Returns: false when the prompt found no free cache cells while other sequences hold them
    ///   (it should wait for them); the job is then untouched and still open.
    private func admit(_ job: GenerationJob) -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        job.timing.withLock { $0.admitted = now }
        // Take the lowest free slots: with one cache stream per sequence, llama.cpp puts a batch into
        // one ubatch only while its sequence ids run consecutively (llama_batch_allocr::split_equal),
        // so keeping slots dense keeps each step to a single graph computation.
        freeSlots.sort(by: >)
        let slots = (0..<job.request.count).map { _ in freeSlots.removeLast() }
        let prompt = job.promptTokens
        do {
            // Decode the prompt once, on the first slot, in chunks of the batch size.
            var lastIndex: Int32 = 0
            var start = 0
            while start < prompt.count {
                let end = min(start + context.batchCapacity, prompt.count)
                batch.clear()
                for position in start..<end {
                    let index = try batch.add(prompt[position], position: position, sequence: slots[0], wantsLogits: position == prompt.count - 1)
                    if position == prompt.count - 1 { lastIndex = index }
                }
                try context.decode(batch)
                start = end
            }
            for slot in slots.dropFirst() { context.copySequence(slots[0], to: slot) }
            let decoded = DispatchTime.now().uptimeNanoseconds
            job.timing.withLock { $0.promptDecoded = decoded }
            remainingSequences[ObjectIdentifier(job)] = slots.count
            let sampling = job.request.sampling
            for (index, slot) in slots.enumerated() {
                var sequence = ActiveSequence(
                    job: job, index: index, slot: slot,
                    sampler: LlamaSampler(sampling, vocabularySize: model.vocabularySize, seed: sampling.seed &+ UInt32(index)),
                    steerer: job.request.steering?.makeSteerer(sequence: index),
                    filter: StreamingTextFilter(stop: sampling.stop), position: prompt.count)
                sequence.batchIndex = lastIndex
                active.append(sequence)
            }
            // Steps add sequences in `active` order, which must be increasing slot order (see above).
            active.sort { $0.slot < $1.slot }
            // The first token of every sequence comes from the prompt's last logits.
            sampleAll(onlyJob: job)
            return true
        } catch {
            for slot in slots {
                context.removeSequence(slot)
                freeSlots.append(slot)
            }
            remainingSequences[ObjectIdentifier(job)] = nil
            active.removeAll { $0.job === job }
            if case LlamaError.callFailed(_, 1, _) = error, !active.isEmpty { return false }
            job.continuation.finish(throwing: error)
            return true
        }
    }

    /// Feeds every active sequence's pending tokens (its last sampled token, plus any injected
    /// text) in one batch, then samples each sequence whose input is complete.
    ///
    /// Under pressure only the sequences concerned are ended: text that does not fit a sequence's
    /// context ends that sequence (`length`); when llama.cpp finds no free cache cells for the
    /// batch (a unified cache shared by every sequence), sequences are taken off the end of the
    /// batch and ended (`length`) until the rest fits; any other decode error fails only the
    /// requests that had tokens in that batch, and the engine goes on serving the others.
    private func step() {
        landReadyInjections()
        var plan = plannedFeeds()
        let waiting = active.filter { $0.waiting != nil }.count
        while true {
            do {
                try fill(batch, from: plan)
            } catch {
                fail(jobsOf: plan, with: error)
                return
            }
            if batch.count == 0 {
                // Every sequence waits for a tool: sleep until one is ready (or new work arrives).
                if waiting > 0 { _ = wakeUp.wait(timeout: .now() + .milliseconds(50)) }
                return
            }
            let started = DispatchTime.now().uptimeNanoseconds
            do {
                if faultNextDecode.exchange(false, ordering: .relaxed) { batch.corruptFirstToken(vocabularySize: model.vocabularySize) }
                try context.decode(batch)
                decodeNanoseconds.add(DispatchTime.now().uptimeNanoseconds - started, ordering: .relaxed)
                break
            } catch LlamaError.callFailed(_, 1, _) {
                // No free cells for the whole batch (nothing was decoded): the last sequence in it
                // cannot be placed. End it, which frees its cells, and try the rest again.
                let dropped = plan.removeLast()
                finish(at: dropped.sequence, reason: .length)
            } catch {
                fail(jobsOf: plan, with: error)
                return
            }
        }
        for feed in plan {
            active[feed.sequence].position += feed.count
            active[feed.sequence].pendingInput.removeFirst(feed.count)
        }
        let started = DispatchTime.now().uptimeNanoseconds
        sampleAll(onlyJob: nil)
        sampleNanoseconds.add(DispatchTime.now().uptimeNanoseconds - started, ordering: .relaxed)
    }

    /// One sequence's share of a batch: `count` of its pending tokens, from the front.
    private struct Feed {
        var sequence: Int
        var count: Int
        var completes: Bool
    }

    /// Queues the text of every slow tool that is now ready; a sequence whose text does not fit its
    /// context ends with `length`.
    private func landReadyInjections() {
        var i = active.count - 1
        while i >= 0 {
            if let pending = active[i].waiting, let injection = pending.injection {
                active[i].waiting = nil
                if inject(injection, at: i) == .noRoom {
                    finish(at: i, reason: .length)
                } else {
                    active[i].steerer?.didInject(injection.text)
                }
            }
            i -= 1
        }
    }

    /// What each sequence that is not waiting puts into the next batch, in `active` (slot) order,
    /// within the batch's capacity.
    private func plannedFeeds() -> [Feed] {
        var plan: [Feed] = []
        var room = batch.capacity
        for i in active.indices where active[i].waiting == nil && !active[i].pendingInput.isEmpty && room > 0 {
            let count = min(room, active[i].pendingInput.count)
            plan.append(Feed(sequence: i, count: count, completes: count == active[i].pendingInput.count))
            room -= count
        }
        return plan
    }

    /// Writes a plan into the batch and marks where each completed sequence's logits will be.
    private func fill(_ batch: LlamaBatch, from plan: [Feed]) throws {
        batch.clear()
        for i in active.indices { active[i].batchIndex = -1 }
        for feed in plan {
            let sequence = active[feed.sequence]
            for offset in 0..<feed.count {
                let isLast = feed.completes && offset == feed.count - 1
                let index = try batch.add(sequence.pendingInput[offset], position: sequence.position + offset,
                                          sequence: sequence.slot, wantsLogits: isLast)
                if isLast { active[feed.sequence].batchIndex = index }
            }
        }
    }

    private func sampleAll(onlyJob: GenerationJob?) {
        var i = 0
        while i < active.count {
            if let onlyJob, active[i].job !== onlyJob { i += 1; continue }
            guard active[i].batchIndex >= 0 else { i += 1; continue }
            let token = active[i].sampler.sample(context: context, index: active[i].batchIndex)
            if accept(token, at: i) { i += 1 }
        }
    }

    /// Handles a sampled token; returns false when the sequence finished (and was removed).
    private func accept(_ token: Int32, at i: Int) -> Bool {
        let job = active[i].job
        if model.isEndOfGeneration(token), !job.ignoreEndOfGeneration {
            // A steerer may refuse the end and force text in instead (the token is dropped).
            let decision = active[i].steerer?.willEnd(sampledTokens: active[i].generated) ?? .stop
            if case .injectWhenReady(let pending) = decision {
                wait(for: pending, at: i)
                return true
            }
            guard case .inject(let injection) = decision else {
                finish(at: i, reason: .stop)
                return false
            }
            switch inject(injection, at: i) {
            case .queued: return true
            case .empty: finish(at: i, reason: .stop)
            case .noRoom: finish(at: i, reason: .length)
            }
            return false
        }
        let request = job.request
        if request.includeLogprobs || request.topLogprobs > 0 {
            let (chosen, top) = context.logprobs(of: token, at: active[i].batchIndex, top: request.topLogprobs)
            active[i].unsentLogprobs.append(chosen)
            active[i].unsentTopLogprobs.append(top.map { TokenLogprob(token: $0.0, text: model.detokenize([$0.0]), logprob: $0.1) })
        }
        if request.confidenceTopK > 0 {
            let confidence = context.confidence(at: active[i].batchIndex, top: request.confidenceTopK)
            active[i].unsentConfidences.append(confidence)
            active[i].steerer?.observe(confidence: confidence)
        }
        active[i].pendingInput.append(token)
        active[i].generated += 1
        active[i].unsentTokens.append(token)
        let output = active[i].filter.append(model.piece(token))
        if !output.text.isEmpty { sendText(output.text, at: i) }
        if output.stopped {
            finish(at: i, reason: .stop)
            return false
        }
        if let steerer = active[i].steerer {
            switch steerer.observe(text: output.text, sampledTokens: active[i].generated) {
            case .proceed:
                break
            case .stop:
                finish(at: i, reason: .stop)
                return false
            case .inject(let injection):
                if inject(injection, at: i) == .noRoom {
                    finish(at: i, reason: .length)
                    return false
                }
            case .injectWhenReady(let pending):
                wait(for: pending, at: i)
            }
        }
        let limitReached = active[i].generated >= request.sampling.maxTokens
        if limitReached || active[i].position + active[i].pendingInput.count + 1 >= context.sequenceContext {
            finish(at: i, reason: .length)
            return false
        }
        return true
    }

    /// What became of forced text.
    private enum InjectionOutcome: Equatable {
        /// Queued for decoding after the last sampled token.
        case queued
        /// The text has no tokens; nothing changed.
        case empty
        /// The text does not fit what is left of the sequence's context; nothing was queued.
        case noRoom
    }

    /// Forces text into a sequence: held text is flushed first, then the injected text is
    /// reported as such and queued for decoding after the last sampled token. Plain text (a tool's
    /// result, program output) is tokenized with special parsing off, so `<|im_end|>` in it stays
    /// text; only the format's markup is parsed. Forced text is checked against the context like
    /// sampled tokens: text that would leave no room for one more sampled token is not queued
    /// (`.noRoom`), and the caller ends the sequence.
    @discardableResult
    private func inject(_ injection: InjectedText, at i: Int) -> InjectionOutcome {
        let text = injection.text
        // Tokenizing only fails for text llama.cpp cannot hold in memory; such text cannot fit either.
        guard let tokens = try? model.tokenize(text, addSpecial: false, parseSpecial: injection.kind == .markup) else { return .noRoom }
        guard !tokens.isEmpty else { return .empty }
        let used = active[i].position + active[i].pendingInput.count
        guard used + tokens.count + 1 < context.sequenceContext else { return .noRoom }
        let held = active[i].filter.finish()
        if !held.text.isEmpty || !active[i].unsentTokens.isEmpty { sendText(held.text, at: i) }
        active[i].filter = StreamingTextFilter(stop: active[i].job.request.sampling.stop)
        active[i].pendingInput += tokens
        active[i].injected += tokens.count
        let sequence = active[i]
        sequence.job.continuation.yield(.text(TextDelta(sequence: sequence.index, text: text, tokens: tokens, injection: injection.purpose)))
        return .queued
    }

    /// Parks a sequence until a slow tool's text is ready; its pending input stays queued.
    private func wait(for pending: PendingInjection, at i: Int) {
        active[i].waiting = pending
        let wakeUp = self.wakeUp
        pending.whenReady { wakeUp.signal() }
    }

    private func sendText(_ text: String, at i: Int) {
        let sequence = active[i]
        let request = sequence.job.request
        let logprobs = request.includeLogprobs ? sequence.unsentLogprobs : nil
        let top = request.topLogprobs > 0 ? sequence.unsentTopLogprobs : nil
        sequence.job.continuation.yield(.text(TextDelta(sequence: sequence.index, text: text, tokens: sequence.unsentTokens,
                                                        logprobs: logprobs, topLogprobs: top,
                                                        confidences: request.confidenceTopK > 0 ? sequence.unsentConfidences : nil)))
        active[i].unsentTokens.removeAll(keepingCapacity: true)
        active[i].unsentLogprobs.removeAll(keepingCapacity: true)
        active[i].unsentTopLogprobs.removeAll(keepingCapacity: true)
        active[i].unsentConfidences.removeAll(keepingCapacity: true)
    }

    /// Ends a sequence: flushes its text, reports it, frees its cells and slot.
    private func finish(at i: Int, reason: FinishReason) {
        if reason != .cancelled {
            let rest = active[i].filter.finish()
            if !rest.text.isEmpty || !active[i].unsentTokens.isEmpty { sendText(rest.text, at: i) }
        }
        let sequence = active.remove(at: i)
        sequence.waiting?.cancel()
        let job = sequence.job
        let usage = Usage(promptTokens: job.promptTokens.count, completionTokens: sequence.generated, injectedTokens: sequence.injected)
        job.continuation.yield(.finished(SequenceFinish(sequence: sequence.index, reason: reason, usage: usage)))
        context.removeSequence(sequence.slot)
        freeSlots.append(sequence.slot)
        admissionWaitsForCells = false
        let key = ObjectIdentifier(job)
        let remaining = (remainingSequences[key] ?? 1) - 1
        if remaining == 0 {
            remainingSequences[key] = nil
            let now = DispatchTime.now().uptimeNanoseconds
            job.timing.withLock { $0.finished = now }
            job.continuation.finish()
        } else {
            remainingSequences[key] = remaining
        }
    }

    /// Stops and frees every sequence whose consumer went away.
    private func dropCancelled() {
        for i in active.indices.reversed() where active[i].job.isCancelled {
            finish(at: i, reason: .cancelled)
        }
    }

    /// Fails every request that had tokens in the batch of `plan` (all of its sequences end, their
    /// cells freed), with `error`; other requests are untouched.
    private func fail(jobsOf plan: [Feed], with error: Error) {
        let doomed = Set(plan.map { ObjectIdentifier(active[$0.sequence].job) })
        fail(where: { doomed.contains(ObjectIdentifier($0)) }, with: error)
    }

    private func failAll(_ error: Error) {
        fail(where: { _ in true }, with: error)
    }

    private func fail(where isDoomed: (GenerationJob) -> Bool, with error: Error) {
        var failed: [ObjectIdentifier: GenerationJob] = [:]
        for sequence in active where isDoomed(sequence.job) {
            sequence.waiting?.cancel()
            context.removeSequence(sequence.slot)
            freeSlots.append(sequence.slot)
            failed[ObjectIdentifier(sequence.job)] = sequence.job
        }
        active.removeAll { isDoomed($0.job) }
        admissionWaitsForCells = false
        for (key, job) in failed {
            remainingSequences[key] = nil
            job.continuation.finish(throwing: error)
        }
    }
}
