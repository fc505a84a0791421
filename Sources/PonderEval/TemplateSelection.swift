/// Which of a generated family's templates problems are drawn from (`--templates`), so that what
/// is fitted or trained on and what it is measured on never share a template.
///
/// Word problems have two halves (``fit`` and ``heldOut``); story problems a three-way split fixed
/// in code (``training``, ``validation``, ``heldOut``); arithmetic has no templates. Only the values
/// in ``ProblemGenerator/Family/templateSelections`` apply to a family: the generator refuses others.
///
/// ```swift
/// ProblemGenerator.Family.storyProblems.templateSelections   // [.all, .training, .validation, .heldOut]
/// let unseen = try ProblemGenerator(family: .storyProblems, seed: 3).generate(count: 20, templates: .heldOut)
/// ```
public enum TemplateSelection: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every template (the default, and the only value for arithmetic).
    case all
    /// Word problems: the half for fitting (see ``WordProblemGenerator/Templates/fitting``).
    case fit
    /// Story problems: the training templates (about 60%).
    case training
    /// Story problems: the validation templates (about 20%), for choosing settings and early stopping.
    case validation
    /// Word problems: the other half; story problems: the held-out templates (about 20%), for measuring.
    case heldOut = "held-out"

    /// The word-problem half this selects, or `nil` when it does not apply to word problems.
    var wordProblemTemplates: WordProblemGenerator.Templates? {
        switch self {
        case .all: return .all
        case .fit: return .fitting
        case .heldOut: return .heldOut
        case .training, .validation: return nil
        }
    }

    /// The story-problem splits this selects (all three for ``all``), or `nil` when it does not
    /// apply to story problems.
    var storySplits: Set<StoryProblemGenerator.Split>? {
        switch self {
        case .all: return Set(StoryProblemGenerator.Split.allCases)
        case .training: return [.training]
        case .validation: return [.validation]
        case .heldOut: return [.heldOut]
        case .fit: return nil
        }
    }
}

extension ProblemGenerator.Family {
    /// The ``TemplateSelection`` values that apply to this family, `all` first.
    public var templateSelections: [TemplateSelection] {
        switch self {
        case .arithmetic: return [.all]
        case .wordProblems: return TemplateSelection.allCases.filter { $0.wordProblemTemplates != nil }
        case .storyProblems: return TemplateSelection.allCases.filter { $0.storySplits != nil }
        }
    }

    /// ``templateSelections`` for a message: `"all, fit or held-out"`, or `"all"`.
    public var templateChoices: String {
        let names = templateSelections.map(\.rawValue)
        guard let last = names.last, names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }
}
