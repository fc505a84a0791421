import ArgumentParser
import PonderCore

/// Options that control token sampling.
struct SamplingOptions: ParsableArguments {
    @Option(name: .long, help: "Sampling temperature, 0 for greedy.")
    var temperature: Double = 0

    @Option(name: .customLong("top-p"), help: "Nucleus sampling threshold in (0, 1].")
    var topP: Double = 1

    @Option(name: .customLong("top-k"), help: "Keep only the k most likely tokens (0 = off).")
    var topK: Int = 0

    @Option(name: .customLong("min-p"), help: "Drop tokens below min-p times the top probability (0 = off).")
    var minP: Double = 0

    @Option(name: .customLong("repeat-penalty"), help: "Penalty for recently repeated tokens (1 = off).")
    var repeatPenalty: Double = 1

    @Option(name: .long, help: "Random seed; the same seed gives the same output.")
    var seed: UInt32 = 0

    @Option(name: .customLong("max-tokens"), help: "Most tokens to generate.")
    var maxTokens: Int = 512

    @Option(name: .long, help: "Stop before this string (repeatable).")
    var stop: [String] = []

    func parameters() throws -> SamplingParameters {
        try SamplingParameters(temperature: temperature, topP: topP, topK: topK, minP: minP,
                               repetitionPenalty: repeatPenalty, seed: seed, maxTokens: maxTokens, stop: stop)
    }

    mutating func validate() throws {
        do { _ = try parameters() } catch { throw ValidationError("\(error)") }
    }
}
