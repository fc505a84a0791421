import PonderReasoning

/// One (strategy, effort) setting to evaluate.
public struct EvalSetting: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// Strategy to run.
    public var strategy: StrategyKind
    /// Effort to run it at.
    public var effort: Effort

    /// Creates a setting.
    public init(strategy: StrategyKind, effort: Effort) {
        self.strategy = strategy
        self.effort = effort
    }

    /// Parses `strategy@effort`, as `description` writes it; nil when either part is unknown.
    public init?(_ text: String) {
        let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2, let strategy = StrategyKind(rawValue: parts[0]), let effort = Effort(rawValue: parts[1]) else {
            return nil
        }
        self.init(strategy: strategy, effort: effort)
    }

    /// `strategy@effort`, for example `cot@low`.
    public var description: String { "\(strategy.rawValue)@\(effort.rawValue)" }

    /// Strategies in declaration order, then efforts from least to most.
    public static func < (lhs: EvalSetting, rhs: EvalSetting) -> Bool {
        let strategies = StrategyKind.allCases, efforts = Effort.allCases
        let left = (strategies.firstIndex(of: lhs.strategy) ?? 0, efforts.firstIndex(of: lhs.effort) ?? 0)
        let right = (strategies.firstIndex(of: rhs.strategy) ?? 0, efforts.firstIndex(of: rhs.effort) ?? 0)
        return left < right
    }
}
