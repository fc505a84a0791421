/// Why the results database could not be used.
public enum EvalStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database file could not be opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// A run of this name exists with different model, dataset or settings.
    case runMismatch(id: String, stored: String, requested: String)
    /// No run of this name in the database.
    case unknownRun(id: String, known: [String])
    /// A query failed.
    case database(String)

    /// A one-line message for a person.
    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open the results database \(path): \(reason)"
        case let .runMismatch(id, stored, requested):
            return "run \(id) already exists with \(stored), not \(requested): pass another --run name or the same options"
        case let .unknownRun(id, known):
            let list = known.isEmpty ? "none" : known.prefix(8).joined(separator: ", ")
            return "no run \(id) in the database (runs: \(list))"
        case let .database(message):
            return "results database error: \(message)"
        }
    }
}
