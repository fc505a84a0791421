import Foundation
import PonderCore

/// One training conversation in the chat-messages format that TRL's SFT trainer and OpenAI's
/// fine-tuning accept, with where it came from.
///
/// ```json
/// {"messages":[{"role":"system","content":"Think step by step…"},{"role":"user","content":"What is 23 + 45?"},
///   {"role":"assistant","content":"1. 23 + 45 = 68\nAnswer: 68"}],
///  "provenance":{"round":1,"source":"sampled","seed":7,"problem_id":"arithmetic-1-3","expected":"68"}}
/// ```
public struct TrainingExample: Sendable, Hashable, Codable {
    /// The conversation, ending with the assistant's turn to learn.
    public var messages: [ChatMessage]
    /// Where it came from.
    public var provenance: Provenance
    /// Stretches of the last message's text the model did not write (a tool's results), whose
    /// tokens assistant-only training masks; nil or empty: none.
    public var maskedSpans: [MaskedSpan]?

    /// How an example was obtained.
    public enum Source: String, Sendable, Hashable, Codable {
        /// A chain the model sampled and that passed every check.
        case sampled
        /// A chain sampled with the answer as a hint, that passed every check, stored without the hint.
        case rationalized
        /// The base model's own answer to an unrelated prompt, mixed in to keep its general behaviour.
        case replay
    }

    /// Provenance of an example.
    public struct Provenance: Sendable, Hashable, Codable {
        /// The STaR round (from 1).
        public var round: Int
        /// How it was obtained.
        public var source: Source
        /// Sampling seed of the request (the chain's own seed is `seed + sequence`).
        public var seed: UInt32
        /// Parallel sequence index within the request.
        public var sequence: Int
        /// The problem's id, for sampled and rationalized chains.
        public var problemID: String?
        /// The reference answer, for sampled and rationalized chains.
        public var expected: String?

        /// Creates provenance.
        public init(round: Int, source: Source, seed: UInt32, sequence: Int, problemID: String? = nil, expected: String? = nil) {
            self.round = round
            self.source = source
            self.seed = seed
            self.sequence = sequence
            self.problemID = problemID
            self.expected = expected
        }

        enum CodingKeys: String, CodingKey {
            case round, source, seed, sequence, expected
            case problemID = "problem_id"
        }
    }

    /// Creates an example.
    public init(messages: [ChatMessage], provenance: Provenance, maskedSpans: [MaskedSpan]? = nil) {
        self.messages = messages
        self.provenance = provenance
        self.maskedSpans = maskedSpans?.isEmpty == true ? nil : maskedSpans
    }

    enum CodingKeys: String, CodingKey {
        case messages, provenance
        case maskedSpans = "masked_spans"
    }
}

extension TrainingExample {
    /// Reads a JSONL file of examples.
    /// - Throws: `TrainingError.unreadableState` naming the bad line.
    public static func read(from url: URL) throws -> [TrainingExample] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError.unreadableState(path: url.path, reason: error.localizedDescription)
        }
        let decoder = JSONDecoder()
        var examples: [TrainingExample] = []
        for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            do { examples.append(try decoder.decode(TrainingExample.self, from: Data(line))) } catch {
                throw TrainingError.unreadableState(path: url.path, reason: "line \(number + 1) is not a training example")
            }
        }
        return examples
    }

    /// Writes examples as JSONL (one object per line, sorted keys), atomically.
    /// - Throws: `TrainingError.writeFailed`.
    public static func write(_ examples: [TrainingExample], to url: URL, provenance: Bool = true) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        do {
            for example in examples {
                if provenance {
                    data.append(try encoder.encode(example))
                } else {
                    data.append(try encoder.encode(["messages": example.messages]))
                }
                data.append(UInt8(ascii: "\n"))
            }
        } catch {
            throw TrainingError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
        try RunFiles.write(data, to: url)
    }
}
