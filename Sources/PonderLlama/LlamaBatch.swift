import CLlama

/// Owns one `llama_batch` of a fixed capacity. Writes past the capacity throw instead of
/// corrupting memory.
final class LlamaBatch {
    private(set) var raw: llama_batch
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        self.raw = llama_batch_init(Int32(capacity), 0, 1)
    }

    deinit { llama_batch_free(raw) }

    var count: Int { Int(raw.n_tokens) }

    func clear() { raw.n_tokens = 0 }

    /// Appends a token for one sequence at a position; `wantsLogits` asks for its output.
    /// - Returns: the token's index in the batch (where its logits will be).
    @discardableResult
    func add(_ token: Int32, position: Int, sequence: Int32, wantsLogits: Bool) throws -> Int32 {
        guard count < capacity else {
            throw LlamaError.callFailed(call: "batch add", code: -1, detail: "batch capacity \(capacity) exceeded")
        }
        let index = Int(raw.n_tokens)
        raw.token[index] = token
        raw.pos[index] = Int32(position)
        raw.n_seq_id[index] = 1
        raw.seq_id[index]![0] = sequence
        raw.logits[index] = wantsLogits ? 1 : 0
        raw.n_tokens += 1
        return Int32(index)
    }

    /// Tests only: replaces the first token with an id outside the vocabulary, which
    /// `llama_decode` rejects (a real decode failure, for testing how the engine recovers).
    func corruptFirstToken(vocabularySize: Int) {
        guard count > 0 else { return }
        raw.token[0] = Int32(vocabularySize + 7)
    }
}
