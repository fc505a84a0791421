/// Why an evaluation could not be set up. Each case has a one-line message.
public enum EvalSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A setting uses the tools strategy but no tools were chosen.
    case toolsStrategyWithoutTools

    /// A one-line message for a person.
    public var description: String {
        switch self {
        case .toolsStrategyWithoutTools:
            return "the tools strategy needs tools: choose some (calculator, python, or auto)"
        }
    }
}
