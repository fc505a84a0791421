import Foundation
import PonderCore

/// What identifies one evaluation run: the model by content, the prompt file, the problems and the
/// settings that change results. Stored once per run; resuming checks that the new invocation
/// matches it field by field (`differences(from:)`), so results of two models, prompts, tool sets
/// or sandboxes never mix under one name.
///
/// ```swift
/// let info = EvalRunInfo(model: try ModelIdentity.file(at: path), prompt: reasoner.prompt.label,
///                        dataset: "gsm8k.jsonl", seed: 0, tools: ["calculator"])
/// ```
public struct EvalRunInfo: Sendable, Hashable, Codable {
    /// The run's name (`--run`, or derived from the other fields by `defaultID`).
    public var id: String
    /// The model: its name and content digest (SHA-256 of the GGUF, or upstream id and base URL).
    /// A run stored before digests were recorded has an empty `digest` and cannot be resumed.
    public var model: ModelIdentity
    /// The reasoning prompt file's `label` (`id@version`, for example `instruct@1`).
    public var prompt: String
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
    /// How confident-vote used chain confidence (`ConfidenceSettings.runDescription`); empty for
    /// the defaults (and in runs stored before it was recorded).
    public var confidence: String

    /// Creates run metadata; `id` nil derives it with `defaultID`.
    public init(id: String? = nil, model: ModelIdentity, prompt: String, dataset: String, seed: UInt32, samples: Int? = nil,
                maxReasoningTokens: Int? = nil, tools: [String] = [], sandbox: String = "", confidence: String = "") {
        self.confidence = confidence
        self.model = model
        self.prompt = prompt
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
    /// resumes the same run and another model or prompt starts another: `<dataset>-<model>-s<seed>-<hash>`.
    public var defaultID: String {
        // The confidence settings join the key only when they are not the defaults, so runs stored
        // before they existed keep their names.
        let key = ([model.name, model.digest, prompt, dataset, "\(seed)", samples.map(String.init) ?? "-",
                    maxReasoningTokens.map(String.init) ?? "-", tools.joined(separator: ","), sandbox]
                   + (confidence.isEmpty ? [] : [confidence])).joined(separator: "|")
        let stem = URL(fileURLWithPath: dataset).deletingPathExtension().lastPathComponent
        let modelStem = URL(fileURLWithPath: model.name).deletingPathExtension().lastPathComponent
        let clean = { (text: String) in String(text.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }.prefix(40)) }
        return "\(clean(stem))-\(clean(modelStem))-s\(seed)-\(PromptHash.of(key).prefix(6))"
    }

    /// What differs between this stored run and `requested`, one short phrase per field
    /// ("model m.gguf (sha256:…) now m.gguf (sha256:…)"); empty when results may be mixed. The id
    /// and the model's display name are not compared (a renamed file with the same bytes is the same model).
    public func differences(from requested: EvalRunInfo) -> [String] {
        var found: [String] = []
        func compare(_ field: String, _ stored: String, _ now: String) {
            if stored != now { found.append("\(field) \(stored.isEmpty ? "none" : stored) now \(now.isEmpty ? "none" : now)") }
        }
        if model.digest != requested.model.digest { found.append("model \(model) now \(requested.model)") }
        compare("prompt", prompt, requested.prompt)
        compare("problems", dataset, requested.dataset)
        compare("seed", "\(seed)", "\(requested.seed)")
        compare("samples", samples.map(String.init) ?? "per effort", requested.samples.map(String.init) ?? "per effort")
        compare("budget", maxReasoningTokens.map(String.init) ?? "per effort", requested.maxReasoningTokens.map(String.init) ?? "per effort")
        compare("tools", tools.joined(separator: ","), requested.tools.joined(separator: ","))
        compare("sandbox", sandbox, requested.sandbox)
        compare("confidence", confidence.isEmpty ? "default" : confidence, requested.confidence.isEmpty ? "default" : requested.confidence)
        return found
    }
}
