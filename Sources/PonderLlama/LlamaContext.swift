import CLlama
import Foundation

/// Owns one `llama_context` (the KV cache and compute buffers), for inference or for training. It
/// keeps its model alive and is freed before it. Not thread-safe: exactly one owner (the engine's
/// decode thread, or a `LlamaTrainer`) drives it.
final class LlamaContext {
    let model: LlamaModel
    let pointer: OpaquePointer
    let memory: llama_memory_t
    /// Most tokens (prompt and generated) one sequence can hold.
    let sequenceContext: Int
    /// Maximum tokens in one `decode` call.
    let batchCapacity: Int
    /// Maximum number of sequences at once.
    let sequenceCapacity: Int

    /// An inference context for the decode loop.
    /// - Parameters:
    ///   - sequenceContext: tokens per sequence.
    ///   - unified: one cache for all sequences (`sequenceContext` cells in all) or one stream each.
    convenience init(model: LlamaModel, sequenceContext: Int, batchSize: Int, sequences: Int, threads: Int, unified: Bool) throws {
        LlamaBackend.clearRecentProblems()
        var params = llama_context_default_params()
        params.n_ctx = UInt32(unified ? sequenceContext : sequenceContext * sequences)
        params.n_batch = UInt32(batchSize)
        params.n_ubatch = UInt32(batchSize)
        params.n_seq_max = UInt32(sequences)
        params.n_threads = Int32(threads)
        params.n_threads_batch = Int32(threads)
        // Unified: a prompt shared by N samples is stored once. Split: one stream per sequence, so
        // attention spans only that sequence's cells (llama-batched-bench's default).
        params.kv_unified = unified
        params.no_perf = true
        try self.init(model: model, params: params)
    }

    /// A training context: one sequence of `window` tokens, decoded as one micro-batch, with an
    /// F32 KV cache (no F16 backward for OUT_PROD; llama.cpp's `examples/training/finetune.cpp`
    /// does the same) and without flash attention. Problems logged since the caller's last
    /// `LlamaBackend.clearRecentProblems()` explain a failure.
    convenience init(trainingModel model: LlamaModel, window: Int, threads: Int) throws {
        var params = llama_context_default_params()
        params.n_ctx = UInt32(window)
        params.n_batch = UInt32(window)
        params.n_ubatch = UInt32(window)
        params.n_seq_max = 1
        params.n_threads = Int32(threads)
        params.n_threads_batch = Int32(threads)
        params.type_k = GGML_TYPE_F32
        params.type_v = GGML_TYPE_F32
        params.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED
        params.no_perf = true
        try self.init(model: model, params: params)
    }

    /// A context with explicit llama.cpp parameters.
    private init(model: LlamaModel, params: llama_context_params) throws {
        guard let context = llama_init_from_model(model.pointer, params) else {
            throw LlamaError.contextCreationFailed(detail: LlamaBackend.takeRecentProblems())
        }
        guard let memory = llama_get_memory(context) else {
            llama_free(context)
            throw LlamaError.contextCreationFailed(detail: "the context has no memory")
        }
        self.model = model
        self.pointer = context
        self.memory = memory
        self.sequenceContext = Int(llama_n_ctx_seq(context))
        self.batchCapacity = Int(llama_n_batch(context))
        self.sequenceCapacity = Int(llama_n_seq_max(context))
    }

    deinit { llama_free(pointer) }

    /// Runs the model over a batch. Any non-zero return is an error, never a silent end of text.
    func decode(_ batch: LlamaBatch) throws {
        let code = llama_decode(pointer, batch.raw)
        guard code == 0 else {
            let detail: String
            switch code {
            case 1: detail = "no free KV cache slot for the batch (the context is full)"
            case 2: detail = "aborted"
            case -1: detail = "invalid batch"
            default: detail = LlamaBackend.takeRecentProblems()
            }
            throw LlamaError.callFailed(call: "llama_decode", code: code, detail: detail)
        }
    }

    /// Empties the whole cache (all sequences).
    func clearMemory() {
        llama_memory_clear(memory, true)
    }

    /// Frees every cell of a sequence.
    func removeSequence(_ sequence: Int32) {
        _ = llama_memory_seq_rm(memory, sequence, -1, -1)
    }

    /// Gives `target` all of `source`'s cells: shared in a unified cache, copied into the target's
    /// stream otherwise (llama.cpp applies the copy at the next decode).
    func copySequence(_ source: Int32, to target: Int32) {
        llama_memory_seq_cp(memory, source, target, -1, -1)
    }

    /// Whether a sequence holds any cells.
    func isOccupied(_ sequence: Int32) -> Bool {
        llama_memory_seq_pos_max(memory, sequence) >= 0
    }

    /// Log-probability of `token` under the logits of batch output `index` (log-softmax), and the
    /// `top` most likely tokens with theirs.
    /// DeepConf's token confidence at batch position `index`: the negative mean log-probability of
    /// the `top` most likely tokens, with no token text (`TokenConfidence`).
    func confidence(at index: Int32, top: Int) -> Double {
        guard top > 0, let logits = llama_get_logits_ith(pointer, index) else { return 0 }
        return TokenConfidence.of(UnsafeBufferPointer(start: logits, count: model.vocabularySize), top: top)
    }

    func logprobs(of token: Int32, at index: Int32, top: Int) -> (chosen: Double, top: [(Int32, Double)]) {
        guard let logits = llama_get_logits_ith(pointer, index) else { return (-.infinity, []) }
        let count = model.vocabularySize
        var maximum = -Float.infinity
        for i in 0..<count { maximum = max(maximum, logits[i]) }
        var sum = 0.0
        for i in 0..<count { sum += Double(expf(logits[i] - maximum)) }
        let logNormalizer = Double(maximum) + log(sum)
        let chosen = Double(logits[Int(token)]) - logNormalizer
        guard top > 0 else { return (chosen, []) }
        // Keep the best `top` in a small sorted list (top is at most 20).
        var best: [(Int32, Float)] = []
        for i in 0..<count {
            let value = logits[i]
            if best.count < top || value > best[best.count - 1].1 {
                let position = best.firstIndex { $0.1 < value } ?? best.count
                best.insert((Int32(i), value), at: position)
                if best.count > top { best.removeLast() }
            }
        }
        return (chosen, best.map { ($0.0, Double($0.1) - logNormalizer) })
    }
}
