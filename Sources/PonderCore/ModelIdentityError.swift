/// Why a model's content identity could not be established.
public enum ModelIdentityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The model file is missing or cannot be read.
    case unreadable(path: String, reason: String)

    /// A one-line message for a person.
    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "cannot read the model file \(path) to hash its content: \(reason)"
        }
    }
}
