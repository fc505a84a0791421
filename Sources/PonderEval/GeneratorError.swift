/// Why a problem generator could not be set up. Each case has a one-line message.
public enum GeneratorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A difficulty outside the family's levels.
    case invalidDifficulty(family: ProblemGenerator.Family, value: Int, allowed: ClosedRange<Int>)
    /// A negative problem count.
    case invalidCount(Int)
    /// Arithmetic options out of range; the text says which and what is allowed.
    case invalidOptions(String)
    /// A template selection the family does not have (see ``ProblemGenerator/Family/templateSelections``).
    case templatesDoNotApply(family: ProblemGenerator.Family, templates: TemplateSelection)
    /// No template to draw from (a story-problem generator given no split).
    case noTemplates(family: ProblemGenerator.Family)

    /// A one-line message for a person.
    public var description: String {
        switch self {
        case let .invalidDifficulty(family, value, allowed):
            return "invalid \(family.rawValue) difficulty \(value): expected \(allowed.lowerBound) to \(allowed.upperBound)"
        case let .invalidCount(count):
            return "invalid problem count \(count): expected 0 or more"
        case let .invalidOptions(message):
            return "invalid arithmetic options: \(message)"
        case let .templatesDoNotApply(family, templates):
            return "templates '\(templates.rawValue)' do not apply to \(family.rawValue): use \(family.templateChoices)"
        case let .noTemplates(family):
            return "no \(family.rawValue) templates to draw from: choose at least one split"
        }
    }
}
