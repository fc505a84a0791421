import Foundation

/// What identifies one evaluation run: the model, the problems and the settings that change
/// results. Stored once per run; resuming checks that the new invocation matches it.
public struct EvalRunInfo: Sendable, Hashable, Codable {
    /// The run's name (`--run`, or derived from the other fields by `defaultID`).
    public var id: String
    /// The model's name (file name for a GGUF, or the upstream model id).
    public var model: String
    /// Where the problems came from: a dataset path or a generator description.
    public var dataset: String
    /// The base seed.
    public var seed: UInt32
    /// Chains for self-consistency and best-of-n; nil uses each effort's.
    public var samples: Int?
    /// Reasoning-token budget per chain; nil uses each effort's.
    public var maxReasoningTokens: Int?
    /// Tools available to the reasoning (empty: none).
    public var tools: [String]
    /// The sandbox isolation code ran in (empty when no code was graded).
    public var sandbox: String

    /// Creates run metadata; `id` nil derives it with `defaultID`.
    public init(id: String? = nil, model: String, dataset: String, seed: UInt32, samples: Int? = nil,
                maxReasoningTokens: Int? = nil, tools: [String] = [], sandbox: String = "") {
        self.model = model
        self.dataset = dataset
        self.seed = seed
        self.samples = samples
        self.maxReasoningTokens = maxReasoningTokens
        self.tools = tools
        self.sandbox = sandbox
        self.id = id ?? ""
        if id == nil { self.id = defaultID }
    }

    /// A readable, stable name from the fields that change results, so repeating the same command
    /// resumes the same run: `<dataset>-<model>-s<seed>-<hash>`.
    public var defaultID: String {
        let key = [model, dataset, "\(seed)", samples.map(String.init) ?? "-", maxReasoningTokens.map(String.init) ?? "-",
                   tools.joined(separator: ",")].joined(separator: "|")
        let stem = URL(fileURLWithPath: dataset).deletingPathExtension().lastPathComponent
        let modelStem = URL(fileURLWithPath: model).deletingPathExtension().lastPathComponent
        let clean = { (text: String) in String(text.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }.prefix(40)) }
        return "\(clean(stem))-\(clean(modelStem))-s\(seed)-\(PromptHash.of(key).prefix(6))"
    }

    /// Whether results of `other` may be mixed with this run's (everything but the id matches).
    public func isCompatible(with other: EvalRunInfo) -> Bool {
        model == other.model && dataset == other.dataset && seed == other.seed && samples == other.samples
            && maxReasoningTokens == other.maxReasoningTokens && tools == other.tools
    }
}
