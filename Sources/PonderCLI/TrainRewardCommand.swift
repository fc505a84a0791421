import ArgumentParser
import Foundation
import PonderTraining

/// `ponder train reward`: scores completions with Ponder's verifier, for GRPO rewards.
struct TrainRewardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reward",
        abstract: "Score completions with Ponder's verifier: reads JSONL {completion, answer, question} on stdin, prints one score per line.")

    @Flag(name: .customLong("no-process-check"), help: "Check only final answers, not the arithmetic of each step.")
    var noProcessCheck = false

    struct Line: Decodable {
        var completion: String
        var answer: String
        var question: String?
    }

    func run() async throws {
        let reward = VerifierReward(processVerifier: noProcessCheck ? nil : TrainingVerifiers.arithmetic)
        let decoder = JSONDecoder()
        var number = 0
        while let text = readLine() {
            number += 1
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            guard let line = try? decoder.decode(Line.self, from: Data(text.utf8)) else {
                throw ValidationError("line \(number) is not {\"completion\", \"answer\", \"question\"} JSON")
            }
            print(reward.score(completion: line.completion, answer: line.answer, question: line.question ?? ""))
        }
    }
}
