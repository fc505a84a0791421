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
    private let statusSnapshot = Mutex(EngineStatus(activeSequences: 0, queuedRequests: 0, occupiedSlots: 0))

    // Decode-thread state only.
    private var active: [ActiveSequence] = []
    private var freeSlots: [Int32]
    private var remainingSequences: [ObjectIdentifier: Int] = [:]
    private let batch: LlamaBatch

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

    var status: EngineStatus { statusSnapshot.withLock { $0 } }

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
        statusSnapshot.withLock { $0 = EngineStatus(activeSequences: active.count, queuedRequests: queued, occupiedSlots: occupied) }
    }

    /// Admits queued requests in order while there are enough free slots.
    private func admitQueued() {
        while true {
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
            admit(job)
        }
    }

    private func admit(_ job: GenerationJob) {
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
        } catch {
            for slot in slots {
                context.removeSequence(slot)
                freeSlots.append(slot)
            }
            remainingSequences[ObjectIdentifier(job)] = nil
            active.removeAll { $0.job === job }
            job.continuation.finish(throwing: error)
        }
    }

    /// Feeds every active sequence's pending tokens (its last sampled token, plus any injected
    /// text) in one batch, then samples each sequence whose input is complete.
    private func step() {
        batch.clear()
        do {
            var waiting = 0
            for i in active.indices {
                active[i].batchIndex = -1
                if let pending = active[i].waiting {
                    guard let text = pending.text else { waiting += 1; continue }
                    active[i].waiting = nil
                    inject(text, at: i)
                    active[i].steerer?.didInject(text)
                }
                let room = batch.capacity - batch.count
                guard room > 0, !active[i].pendingInput.isEmpty else { continue }
                let feed = active[i].pendingInput.prefix(room)
                let completes = feed.count == active[i].pendingInput.count
                for (offset, token) in feed.enumerated() {
                    let isLast = completes && offset == feed.count - 1
                    let index = try batch.add(token, position: active[i].position, sequence: active[i].slot, wantsLogits: isLast)
                    if isLast { active[i].batchIndex = index }
                    active[i].position += 1
                }
                active[i].pendingInput.removeFirst(feed.count)
            }
            if batch.count == 0 {
                // Every sequence waits for a tool: sleep until one is ready (or new work arrives).
                if waiting > 0 { _ = wakeUp.wait(timeout: .now() + .milliseconds(50)) }
                return
            }
            let started = DispatchTime.now().uptimeNanoseconds
            try context.decode(batch)
            decodeNanoseconds.add(DispatchTime.now().uptimeNanoseconds - started, ordering: .relaxed)
        } catch LlamaError.callFailed(_, 1, _) {
            // No cache slot (only possible with a unified cache): every running sequence ends at its length limit.
            for i in active.indices.reversed() { finish(at: i, reason: .length) }
            return
        } catch {
            failAll(error)
            return
        }
        let started = DispatchTime.now().uptimeNanoseconds
        sampleAll(onlyJob: nil)
        sampleNanoseconds.add(DispatchTime.now().uptimeNanoseconds - started, ordering: .relaxed)
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
            guard case .inject(let text) = decision, inject(text, at: i) else {
                finish(at: i, reason: .stop)
                return false
            }
            return true
        }
        let request = job.request
        if request.includeLogprobs || request.topLogprobs > 0 {
            let (chosen, top) = context.logprobs(of: token, at: active[i].batchIndex, top: request.topLogprobs)
            active[i].unsentLogprobs.append(chosen)
            active[i].unsentTopLogprobs.append(top.map { TokenLogprob(token: $0.0, text: model.detokenize([$0.0]), logprob: $0.1) })
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
            case .inject(let text):
                inject(text, at: i)
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

    /// Forces text into a sequence: held text is flushed first, then the injected text is
    /// reported as such and queued for decoding after the last sampled token.
    /// - Returns: whether any tokens were queued.
    @discardableResult
    private func inject(_ text: String, at i: Int) -> Bool {
        let held = active[i].filter.finish()
        if !held.text.isEmpty || !active[i].unsentTokens.isEmpty { sendText(held.text, at: i) }
        active[i].filter = StreamingTextFilter(stop: active[i].job.request.sampling.stop)
        // Tokenizing only fails for text llama.cpp cannot hold in memory; such an injection is dropped.
        let tokens = (try? model.tokenize(text, addSpecial: false, parseSpecial: true)) ?? []
        guard !tokens.isEmpty else { return false }
        active[i].pendingInput += tokens
        active[i].injected += tokens.count
        let sequence = active[i]
        sequence.job.continuation.yield(.text(TextDelta(sequence: sequence.index, text: text, tokens: tokens, isInjected: true)))
        return true
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
                                                        logprobs: logprobs, topLogprobs: top)))
        active[i].unsentTokens.removeAll(keepingCapacity: true)
        active[i].unsentLogprobs.removeAll(keepingCapacity: true)
        active[i].unsentTopLogprobs.removeAll(keepingCapacity: true)
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

    private func failAll(_ error: Error) {
        var failed: [ObjectIdentifier: GenerationJob] = [:]
        for sequence in active {
            context.removeSequence(sequence.slot)
            freeSlots.append(sequence.slot)
            failed[ObjectIdentifier(sequence.job)] = sequence.job
        }
        active.removeAll()
        for (key, job) in failed {
            remainingSequences[key] = nil
            job.continuation.finish(throwing: error)
        }
    }
}
