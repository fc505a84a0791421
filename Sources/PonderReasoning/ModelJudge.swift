import Foundation
import PonderCore

/// Scores a proposed answer: 1 means surely correct, 0 surely wrong.
public protocol Verifier: Sendable {
    /// Scores `answer` (normalised `extracted`, when there is one) to `question`.
    func score(question: String, answer: String, extracted: String?) async throws -> Double
}

/// A programmatic verifier for questions whose answer is known (evaluation, training).
public struct ExpectedAnswerVerifier: Verifier {
    /// The expected normalised answer.
    public let expected: String
    /// Decides whether two normalised answers agree.
    public let equivalent: @Sendable (String, String) -> Bool

    /// Creates a verifier comparing with `expected`.
    public init(expected: String, equivalent: @escaping @Sendable (String, String) -> Bool) {
        self.expected = expected
        self.equivalent = equivalent
    }

    public func score(question _: String, answer _: String, extracted: String?) async throws -> Double {
        guard let extracted else { return 0 }
        return equivalent(extracted, expected) ? 1 : 0
    }
}

/// The model's own judgement, read from token probabilities rather than parsed from free text:
/// P("Yes") / (P("Yes") + P("No")) for the first token after "Is the proposed answer correct?".
public struct ModelJudge: Verifier {
    /// The model that judges.
    public let model: any LanguageModel

    /// Creates a judge.
    public init(model: any LanguageModel) { self.model = model }

    public func score(question: String, answer: String, extracted: String?) async throws -> Double {
        let proposed = answer.isEmpty ? (extracted ?? "(no answer)") : answer
        return try await probabilityOfYes(
            "Question: \(question)\n\nProposed answer: \(proposed)\n\nIs the proposed answer correct? Reply with Yes or No.")
    }

    /// P("Yes") / (P("Yes") + P("No")) for the model's first reply token to `prompt`; 0.5 when
    /// neither word is among its 20 most likely tokens.
    public func probabilityOfYes(_ prompt: String) async throws -> Double {
        var request = try GenerationRequest.chat([.user(prompt)], sampling: SamplingParameters(maxTokens: 1))
        request.topLogprobs = 20
        for try await event in model.generate(request) {
            guard case .text(let delta) = event, let alternatives = delta.topLogprobs?.first else { continue }
            var yes = 0.0
            var no = 0.0
            for candidate in alternatives {
                let word = candidate.text.trimmingCharacters(in: .whitespaces).lowercased()
                if word == "yes" { yes += exp(candidate.logprob) }
                if word == "no" { no += exp(candidate.logprob) }
            }
            return yes + no > 0 ? yes / (yes + no) : 0.5
        }
        return 0.5
    }
}
