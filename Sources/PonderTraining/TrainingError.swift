/// Errors of `ponder train`; each prints as one line a person can act on.
public enum TrainingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A setting is out of range.
    case invalidSetting(name: String, value: String, expected: String)
    /// The base model could not be converted to F32 for training.
    case baseNotConvertible(path: String, reason: String)
    /// The training problems have no answer that can be checked.
    case noVerifiableAnswers(source: String)
    /// The held-out set shares questions with the training set.
    case heldOutOverlap(count: Int, example: String)
    /// A file of the run could not be written (a full disk, say); earlier rounds are intact.
    case writeFailed(path: String, reason: String)
    /// A file of the run could not be read back.
    case unreadableState(path: String, reason: String)
    /// The run directory belongs to a run with different settings.
    case runMismatch(directory: String, detail: String)
    /// The run directory was started from a base model with other content (`stored` nil: from a
    /// version that did not record the base model's SHA-256).
    case baseModelChanged(directory: String, model: String, stored: String?, now: String)
    /// A dataset or problem file could not be used.
    case badProblems(source: String, reason: String)
    /// Fine-tuning failed.
    case fineTuneFailed(String)
    /// Nothing to export.
    case nothingToExport(directory: String)
    /// A verifier could not be fitted on the sampled chains.
    case verifierFit(String)

    public var description: String {
        switch self {
        case .verifierFit(let reason):
            return "cannot fit a verifier: \(reason)"
        case let .invalidSetting(name, value, expected):
            return "invalid \(name) \(value): expected \(expected)"
        case let .baseNotConvertible(path, reason):
            return "cannot convert the base model \(path) to F32 for training: \(reason)"
        case .noVerifiableAnswers(let source):
            return "\(source) has no problems with a verifiable answer (numbers, choices or yes/no)"
        case let .heldOutOverlap(count, example):
            return "the held-out set shares \(count) question(s) with the training set (e.g. \"\(example)\"); use a different seed or file"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason) (earlier rounds are intact)"
        case let .unreadableState(path, reason):
            return "cannot read \(path): \(reason)"
        case let .runMismatch(directory, detail):
            return "\(directory) holds a run with other settings (\(detail)); use a new --out directory"
        case let .baseModelChanged(directory, model, stored, now):
            guard let stored else {
                return "\(directory) was started by an older ponder that did not record the base model's SHA-256, so it cannot be resumed safely; use a new --out directory"
            }
            return "\(directory) was started from other weights than \(model) has now (sha256 \(stored.prefix(12)) then, \(now.prefix(12)) now); use a new --out directory, or restore that model"
        case let .badProblems(source, reason):
            return "cannot use \(source): \(reason)"
        case .fineTuneFailed(let reason):
            return "fine-tuning failed: \(reason)"
        case .nothingToExport(let directory):
            return "\(directory) has no kept chains to export (run `ponder train star` first)"
        }
    }
}
