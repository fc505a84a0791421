/// A snapshot of how busy a backend is, for monitoring (`/metrics`) and tests. Backends that know
/// it report it through `LanguageModel.load`; the local llama.cpp engine does, a remote upstream
/// does not.
public struct EngineLoad: Sendable, Hashable {
    /// Sequences being decoded now.
    public var activeSequences: Int
    /// Requests waiting inside the engine for free sequence slots.
    public var queuedRequests: Int
    /// Sequence (KV) slots that still hold cache cells; 0 when idle, since every finished or
    /// cancelled sequence frees its cells.
    public var occupiedSlots: Int

    /// Creates a load record. All counts are ≥ 0.
    public init(activeSequences: Int, queuedRequests: Int, occupiedSlots: Int) {
        self.activeSequences = activeSequences
        self.queuedRequests = queuedRequests
        self.occupiedSlots = occupiedSlots
    }
}
