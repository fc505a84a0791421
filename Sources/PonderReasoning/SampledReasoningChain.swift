import PonderCore

/// Text a steerer forced into a chain, with why.
public struct ChainInjection: Sendable, Hashable, Codable {
    /// Why it was forced in: a tool's result, or the reasoning closed by the budget or at the model's end.
    public var purpose: InjectionPurpose
    /// The text forced in.
    public var text: String
    /// Its tokens, where the backend reports them (0 otherwise).
    public var tokens: Int
    /// Where it starts in the chain's completion, in UTF-8 bytes, when recorded.
    public var offset: Int?

    /// Creates an injection record.
    public init(purpose: InjectionPurpose, text: String, tokens: Int, offset: Int? = nil) {
        self.purpose = purpose
        self.text = text
        self.tokens = tokens
        self.offset = offset
    }
}

/// One chain sampled with exactly the prompt, thinking format, budgets and steering that
/// inference uses (`Reasoner.sampleChains`), with everything training needs to learn from it.
public struct SampledReasoningChain: Sendable {
    /// The exact prompt the chain continued (the rendered conversation with its system
    /// instructions, and for a continuation format the assistant prefix).
    public var prompt: Prompt
    /// Everything the model wrote and the engine forced in, as decoded (not trimmed).
    public var completion: String
    /// The chain's record: reasoning, answer, extracted answer, tokens, closing and tool calls.
    public var chain: ReasoningChain
    /// What the steerer forced in, in order.
    public var injections: [ChainInjection]
    /// Sequence index; its sampling seed is the configuration's seed plus this.
    public var sequence: Int
}
