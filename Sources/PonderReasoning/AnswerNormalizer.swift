/// The reasoning layer's view of the answer library: which kind of answer a question expects, and
/// each chain's final answer in canonical form, so votes compare values, not strings.
struct AnswerNormalizer: Sendable {
    let question: String
    let kind: AnswerKind
    private let extractor = AnswerExtractor()

    init(question: String) {
        self.question = question
        self.kind = AnswerKind(guessingFrom: question)
    }

    /// The canonical form of the final answer in `text`, or nil when there is none.
    func normalize(_ text: String) -> String? {
        extractor.extract(from: text, kind: kind)?.description
    }

    /// A short description for the assessment summary.
    var kindDescription: String {
        switch kind {
        case .number: return "A question with a numeric answer"
        case .multipleChoice: return "A multiple-choice question"
        case .yesNo: return "A yes-or-no question"
        case .text: return "A question answered in words"
        }
    }
}
