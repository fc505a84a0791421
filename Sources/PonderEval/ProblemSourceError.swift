/// Why a ``ProblemSource`` could not make its problems. Each case has a one-line message; a wrapped
/// dataset or generator error keeps its own message unchanged.
public enum ProblemSourceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The dataset could not be loaded (missing, unreadable, or a bad record).
    case dataset(DatasetError)
    /// The generator refused its values (a difficulty, count, digits or operations out of range).
    case generator(GeneratorError)
    /// The operator list, kept as given, names none of `+ - × ÷`.
    case noKnownOperators(String)
    /// The limit was below 1.
    case invalidLimit(Int)

    /// A one-line message for a person.
    public var description: String {
        switch self {
        case let .dataset(error):
            return error.description
        case let .generator(error):
            return error.description
        case let .noKnownOperators(text):
            return "operators '\(text)' name none of + - × ÷"
        case let .invalidLimit(limit):
            return "invalid limit \(limit): expected at least 1, or no limit"
        }
    }
}
