/// Where a running evaluation stands, reported after each question.
public struct EvalProgress: Sendable, Hashable {
    /// Questions finished, including those skipped because a previous run finished them.
    public var done: Int
    /// Questions in the whole run (problems × settings).
    public var total: Int
    /// Questions skipped because they were already in the store.
    public var resumed: Int
    /// The setting of the question just finished.
    public var setting: EvalSetting
    /// Questions answered correctly so far in this setting.
    public var correctInSetting: Int
    /// Questions graded so far in this setting.
    public var gradedInSetting: Int
    /// Seconds since this invocation started.
    public var elapsedSeconds: Double
    /// Questions this invocation actually ran.
    public var ranHere: Int
    /// Planned work (`EvalRunner.plannedTokens`) of the finished questions, skipped ones included.
    public var workDone: Double = 0
    /// Planned work of the whole run.
    public var workTotal: Double = 0
    /// Planned work of the questions this invocation ran.
    public var workRanHere: Double = 0

    /// Accuracy so far in the current setting, 0...1.
    public var accuracy: Double { gradedInSetting == 0 ? 0 : Double(correctInSetting) / Double(gradedInSetting) }

    /// Estimated seconds left, from this invocation's pace; nil before anything ran. The pace is
    /// per planned token when the work is known, so cheap settings early in a run (direct answers)
    /// do not make the expensive ones after them (eight voted chains) look as cheap.
    public var etaSeconds: Double? {
        guard ranHere > 0 else { return nil }
        if workRanHere > 0, workTotal > 0 {
            return elapsedSeconds / workRanHere * max(0, workTotal - workDone)
        }
        return elapsedSeconds / Double(ranHere) * Double(total - done)
    }

    /// One line: `[12/240] cot@low accuracy 41.7% (5/12) · ETA 3m05s`.
    public var line: String {
        let percent = (accuracy * 1000).rounded() / 10
        let eta = etaSeconds.map(Self.duration) ?? "?"
        return "[\(done)/\(total)] \(setting) accuracy \(percent)% (\(correctInSetting)/\(gradedInSetting)) · ETA \(eta)"
    }

    /// `42s`, `3m05s` or `1h02m`.
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s >= 3600 {
            let minutes = (s % 3600) / 60
            return "\(s / 3600)h\(minutes < 10 ? "0" : "")\(minutes)m"
        }
        let rest = s % 60
        return "\(s / 60)m\(rest < 10 ? "0" : "")\(rest)s"
    }
}
