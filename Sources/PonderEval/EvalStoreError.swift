/// Why the results database could not be used, or a run could not be resumed as asked.
public enum EvalStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database file could not be opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// A run of this name exists with another model, prompt, problems or settings
    /// (`differences` are phrases from `EvalRunInfo.differences(from:)`).
    case runMismatch(id: String, differences: [String], modelDiffers: Bool)
    /// A run of this name was stored by a version that did not record the model's content digest.
    case runWithoutModelDigest(id: String)
    /// Stored results were graded against expected answers that the problems no longer have.
    case answerKeyChanged(id: String, count: Int, problemID: String, stored: String, now: String)
    /// A stored result cannot be re-graded (its trace, with each chain's answer, was not kept).
    case cannotRegrade(id: String, problemID: String, reason: String)
    /// No run of this name in the database.
    case unknownRun(id: String, known: [String])
    /// A query failed.
    case database(String)

    /// A one-line message for a person.
    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open the results database \(path): \(reason)"
        case let .runMismatch(id, differences, modelDiffers):
            let what = differences.joined(separator: "; ")
            if modelDiffers {
                return "run \(id) was made with another model (\(what)); results of two models never mix, not even with --regrade: pass another --run name"
            }
            return "run \(id) was made with other settings (\(what)): pass another --run name, or the options it was made with"
        case let .runWithoutModelDigest(id):
            return "run \(id) was stored by an older ponder that did not record the model's content hash, so it cannot be resumed safely: pass another --run name (its results still show in eval compare)"
        case let .answerKeyChanged(id, count, problemID, stored, now):
            return "run \(id): \(count) expected answer(s) changed since they were graded (\(problemID): \"\(stored)\" now \"\(now)\"): pass --regrade to re-grade the stored answers, or another --run name"
        case let .cannotRegrade(id, problemID, reason):
            return "run \(id): cannot re-grade \(problemID): \(reason); pass another --run name to run it again"
        case let .unknownRun(id, known):
            let list = known.isEmpty ? "none" : known.prefix(8).joined(separator: ", ")
            return "no run \(id) in the database (runs: \(list))"
        case let .database(message):
            return "results database error: \(message)"
        }
    }
}
