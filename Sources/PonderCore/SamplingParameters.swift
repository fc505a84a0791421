/// How the next token is chosen, validated once at construction.
///
/// `temperature == 0` means greedy decoding; the other filters then have no effect.
/// The same `seed` with the same prompt and parameters gives the same output.
///
/// ```swift
/// let sampling = try SamplingParameters(temperature: 0.7, topP: 0.95, seed: 42, maxTokens: 256)
/// ```
public struct SamplingParameters: Sendable, Hashable, Codable {
    /// Softmax temperature, `0...100`; `0` selects the most likely token (greedy).
    public let temperature: Double
    /// Nucleus sampling: keep the smallest set of tokens whose probability sums to at least `topP`, in `(0, 1]`; `1` disables it.
    public let topP: Double
    /// Keep only the `topK` most likely tokens, `>= 0`; `0` disables it.
    public let topK: Int
    /// Drop tokens less likely than `minP` times the most likely one, in `[0, 1)`; `0` disables it.
    public let minP: Double
    /// Penalty applied to tokens seen in the last `repetitionWindow` tokens, `> 0`; `1` disables it.
    public let repetitionPenalty: Double
    /// How many recent tokens the repetition penalty looks at, `>= 0`.
    public let repetitionWindow: Int
    /// Random seed; the same seed gives the same output. Parallel sample `i` uses `seed + i`.
    public let seed: UInt32
    /// Maximum number of generated tokens per sequence, `>= 1`.
    public let maxTokens: Int
    /// Generation stops before the first occurrence of any of these strings (which is not emitted). Empty strings are refused.
    public let stop: [String]

    /// Default settings: greedy decoding, 512 tokens, seed 0.
    public static let greedy = try! SamplingParameters()

    /// Creates validated sampling parameters.
    /// - Throws: `PonderError.invalidParameter` naming the first value out of range.
    public init(
        temperature: Double = 0,
        topP: Double = 1,
        topK: Int = 0,
        minP: Double = 0,
        repetitionPenalty: Double = 1,
        repetitionWindow: Int = 64,
        seed: UInt32 = 0,
        maxTokens: Int = 512,
        stop: [String] = []
    ) throws {
        guard temperature.isFinite, temperature >= 0, temperature <= 100 else {
            throw PonderError.invalidParameter(name: "temperature", value: "\(temperature)", expected: "a number in 0...100")
        }
        guard topP.isFinite, topP > 0, topP <= 1 else {
            throw PonderError.invalidParameter(name: "top_p", value: "\(topP)", expected: "a number in (0, 1]")
        }
        guard topK >= 0 else {
            throw PonderError.invalidParameter(name: "top_k", value: "\(topK)", expected: "an integer >= 0")
        }
        guard minP.isFinite, minP >= 0, minP < 1 else {
            throw PonderError.invalidParameter(name: "min_p", value: "\(minP)", expected: "a number in [0, 1)")
        }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
            throw PonderError.invalidParameter(name: "repetition_penalty", value: "\(repetitionPenalty)", expected: "a number > 0")
        }
        guard repetitionWindow >= 0 else {
            throw PonderError.invalidParameter(name: "repetition_window", value: "\(repetitionWindow)", expected: "an integer >= 0")
        }
        guard maxTokens >= 1 else {
            throw PonderError.invalidParameter(name: "max_tokens", value: "\(maxTokens)", expected: "an integer >= 1")
        }
        if stop.contains(where: \.isEmpty) {
            throw PonderError.invalidParameter(name: "stop", value: "\"\"", expected: "non-empty strings")
        }
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.repetitionWindow = repetitionWindow
        self.seed = seed
        self.maxTokens = maxTokens
        self.stop = stop
    }

    /// Whether decoding always picks the most likely token.
    public var isGreedy: Bool { temperature == 0 }

    /// A copy with a different token limit (validated).
    public func with(maxTokens: Int) throws -> SamplingParameters { try copy(maxTokens: maxTokens) }

    /// A copy with different stop strings (validated).
    public func with(stop: [String]) throws -> SamplingParameters { try copy(stop: stop) }

    private func copy(maxTokens: Int? = nil, stop: [String]? = nil) throws -> SamplingParameters {
        try SamplingParameters(temperature: temperature, topP: topP, topK: topK, minP: minP,
                               repetitionPenalty: repetitionPenalty, repetitionWindow: repetitionWindow,
                               seed: seed, maxTokens: maxTokens ?? self.maxTokens, stop: stop ?? self.stop)
    }
}
