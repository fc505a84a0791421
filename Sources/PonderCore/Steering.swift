/// What a steerer wants the engine to do after it has seen a sequence's newest text.
public enum SteeringDecision: Sendable, Hashable {
    /// Keep sampling.
    case proceed
    /// Force this text into the sequence (tokenized with special tokens parsed), then keep sampling.
    /// The engine decodes it as if the model had written it; it is reported as injected text.
    case inject(String)
    /// End the sequence now (finish reason `stop`).
    case stop
}

/// Watches one sequence while it is generated and may steer it: force text in (budget forcing,
/// tool results) or end it. Called on the engine's decode thread after every sampled token, so it
/// must be quick and must not block.
public protocol SequenceSteerer: AnyObject {
    /// Sees the text that became visible with the newest token (may be empty while a character or a
    /// possible stop string is incomplete) and the number of tokens the model sampled so far.
    func observe(text: String, sampledTokens: Int) -> SteeringDecision

    /// The model sampled an end-of-generation token. `.stop` (the default) accepts the end;
    /// `.inject(text)` suppresses it and forces `text` in instead (s1's "Wait", or an answer marker).
    func willEnd(sampledTokens: Int) -> SteeringDecision
}

extension SequenceSteerer {
    /// Accepts the end of generation.
    public func willEnd(sampledTokens _: Int) -> SteeringDecision { .stop }
}

/// Makes a fresh `SequenceSteerer` for each sequence of a request, so every run starts clean.
public struct SteeringFactory: Sendable {
    private let make: @Sendable (_ sequence: Int) -> any SequenceSteerer

    /// Creates a factory from a closure called once per sequence index.
    public init(_ make: @escaping @Sendable (_ sequence: Int) -> any SequenceSteerer) {
        self.make = make
    }

    /// A new steerer for sequence `index`.
    public func makeSteerer(sequence index: Int) -> any SequenceSteerer { make(index) }
}
