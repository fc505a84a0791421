import PonderReasoning

/// How a reasoning summary reads in API replies: the bold title, then its sentence.
enum SummaryText {
    static func format(_ summary: ReasoningSummary, detail: SummaryDetail = .detailed) -> String {
        switch detail {
        case .concise: return "**\(summary.title)**"
        case .auto, .detailed: return "**\(summary.title)**\n\n\(summary.text)"
        }
    }

    /// All summaries as one `reasoning_content` text.
    static func joined(_ summaries: [ReasoningSummary]) -> String {
        summaries.map { format($0) }.joined(separator: "\n\n")
    }
}
