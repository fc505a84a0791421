import PonderCore

/// Why a verifier file cannot be used; each is one line for a person.
public enum VerifierFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file is missing or unreadable.
    case unreadable(path: String)
    /// The file is not a verifier file, or its contents are broken.
    case malformed(path: String, reason: String)
    /// The file was written by another version of the format.
    case unsupportedVersion(path: String, version: Int)
    /// The file was fitted on another model's chains.
    case otherModel(path: String, fitted: ModelIdentity, running: ModelIdentity)

    public var description: String {
        switch self {
        case .unreadable(let path):
            return "cannot read the verifier file \(path)"
        case let .malformed(path, reason):
            return "\(path) is not a usable verifier file: \(reason)"
        case let .unsupportedVersion(path, version):
            return "\(path) is a version \(version) verifier file; this ponder reads version \(VerifierFile.currentVersion)"
        case let .otherModel(path, fitted, running):
            return "the verifier \(path) was fitted on \(fitted), not on \(running): fit one for this model with `ponder train verifier`"
        }
    }
}
