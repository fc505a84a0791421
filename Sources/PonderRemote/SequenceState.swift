import PonderCore

/// One sequence's progress across the upstream requests that produce it: the stop-string filter,
/// the sampled-token count, the log-probabilities not yet attached to a delta, and the assistant
/// text so far (what a continuation request must start from).
struct SequenceState {
    let index: Int
    private let stop: [String]
    private let includeLogprobs: Bool
    private let includeTop: Bool
    private var filter: StreamingTextFilter
    /// Tokens sampled so far: log-probability entries when the upstream sends them, otherwise one
    /// per non-empty text delta (OpenAI-compatible servers stream one token per chunk).
    private(set) var sampled = 0
    /// Everything the sequence has shown or had injected since the start of the assistant turn.
    private(set) var assistantText = ""
    private var unsentTokens: [Int32] = []
    private var unsentLogprobs: [Double] = []
    private var unsentTop: [[TokenLogprob]] = []

    init(index: Int, stop: [String], includeLogprobs: Bool, includeTop: Bool) {
        self.index = index
        self.stop = stop
        self.includeLogprobs = includeLogprobs
        self.includeTop = includeTop
        self.filter = StreamingTextFilter(stop: stop)
    }

    /// What one upstream choice delta did to the sequence.
    struct Step {
        /// The delta to report, when text became visible.
        var delta: TextDelta?
        /// The text that became visible (what a steerer observes).
        var visible: String
        /// Tokens this chunk sampled.
        var tokens: Int
        /// Whether a stop string was reached.
        var stopped: Bool
    }

    /// Takes in one choice of a chunk.
    mutating func absorb(_ choice: StreamChunk.Choice) -> Step {
        let text = choice.newText
        let entries = choice.logprobs?.entries ?? []
        let count = entries.isEmpty ? (text.isEmpty ? 0 : 1) : entries.count
        sampled += count
        for entry in entries {
            unsentTokens.append(entry.id ?? -1)
            unsentLogprobs.append(entry.logprob)
            unsentTop.append((entry.topLogprobs ?? []).map { TokenLogprob(token: $0.id ?? -1, text: $0.token, logprob: $0.logprob) })
        }
        guard !text.isEmpty else { return Step(delta: nil, visible: "", tokens: count, stopped: false) }
        let output = filter.append(Array(text.utf8))
        let delta = output.text.isEmpty && (unsentTokens.isEmpty || !output.stopped) ? nil : makeDelta(output.text)
        return Step(delta: delta, visible: output.text, tokens: count, stopped: output.stopped)
    }

    /// Releases any held text (before an injection or at the end); nil when nothing is pending.
    mutating func flush() -> TextDelta? {
        let rest = filter.finish()
        guard !rest.text.isEmpty || !unsentTokens.isEmpty else { return nil }
        return makeDelta(rest.text)
    }

    /// Records forced-in text and starts a fresh filter after it (as the local engine does).
    mutating func inject(_ text: String, purpose: InjectionPurpose) -> TextDelta {
        assistantText += text
        filter = StreamingTextFilter(stop: stop)
        return TextDelta(sequence: index, text: text, tokens: [], injection: purpose)
    }

    private mutating func makeDelta(_ text: String) -> TextDelta {
        assistantText += text
        let delta = TextDelta(sequence: index, text: text, tokens: unsentTokens.contains(-1) ? [] : unsentTokens,
                              logprobs: includeLogprobs ? unsentLogprobs : nil, topLogprobs: includeTop ? unsentTop : nil)
        unsentTokens.removeAll()
        unsentLogprobs.removeAll()
        unsentTop.removeAll()
        return delta
    }
}
