/// Turns a stream of token bytes into safe text deltas: emits only complete UTF-8 characters and
/// holds back any tail that could be the start of a stop string, so no consumer ever sees half a
/// character or part of a stop string.
///
/// ```swift
/// var filter = StreamingTextFilter(stop: ["\n\n"])
/// let out = filter.append(pieceBytes)   // out.text is safe to show; out.stopped ends the sequence
/// let rest = filter.finish()            // flush at the end
/// ```
public struct StreamingTextFilter: Sendable {
    /// The result of feeding bytes.
    public struct Output: Sendable, Hashable {
        /// Text that is now safe to emit (may be empty).
        public var text: String
        /// Whether a stop string was found; nothing after it is emitted.
        public var stopped: Bool
    }

    private let stops: [[UInt8]]
    private var incomplete: [UInt8] = []   // trailing bytes of an unfinished UTF-8 character
    private var held: [UInt8] = []         // complete UTF-8 that may begin a stop string
    private(set) public var isStopped = false

    /// Creates a filter for the given stop strings (empty strings are ignored).
    public init(stop: [String] = []) {
        self.stops = stop.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// Feeds the bytes of the next token(s).
    public mutating func append(_ bytes: some Collection<UInt8>) -> Output {
        guard !isStopped else { return Output(text: "", stopped: true) }
        incomplete.append(contentsOf: bytes)
        let cut = Self.completePrefixLength(incomplete)
        held.append(contentsOf: incomplete[..<cut])
        incomplete.removeFirst(cut)
        return drain(final: false)
    }

    /// Flushes everything still held (an unfinished character becomes U+FFFD).
    public mutating func finish() -> Output {
        guard !isStopped else { return Output(text: "", stopped: true) }
        held.append(contentsOf: incomplete)
        incomplete.removeAll()
        return drain(final: true)
    }

    private mutating func drain(final: Bool) -> Output {
        if let (start, _) = firstStop(in: held) {
            let text = String(decoding: held[..<start], as: UTF8.self)
            held.removeAll()
            isStopped = true
            return Output(text: text, stopped: true)
        }
        let keep = final ? 0 : longestStopPrefixSuffix(of: held)
        let emitCount = held.count - keep
        let text = String(decoding: held[..<emitCount], as: UTF8.self)
        held.removeFirst(emitCount)
        return Output(text: text, stopped: false)
    }

    /// Earliest occurrence of any stop string.
    private func firstStop(in bytes: [UInt8]) -> (Int, Int)? {
        var best: (Int, Int)?
        for stop in stops where stop.count <= bytes.count {
            var index = 0
            while index + stop.count <= bytes.count {
                if bytes[index] == stop[0], bytes[index..<(index + stop.count)].elementsEqual(stop) {
                    if best == nil || index < best!.0 { best = (index, stop.count) }
                    break
                }
                index += 1
            }
        }
        return best
    }

    /// Length of the longest suffix of `bytes` that is a proper prefix of some stop string.
    private func longestStopPrefixSuffix(of bytes: [UInt8]) -> Int {
        var longest = 0
        for stop in stops {
            let maxLength = min(stop.count - 1, bytes.count)
            guard maxLength > longest else { continue }
            for length in stride(from: maxLength, to: longest, by: -1)
            where bytes[(bytes.count - length)...].elementsEqual(stop[..<length]) {
                longest = length
                break
            }
        }
        return longest
    }

    /// Number of leading bytes that do not end inside an unfinished UTF-8 sequence.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let count = bytes.count
        // Look back at most 3 bytes for the lead byte of the last character.
        var index = count - 1
        var continuation = 0
        while index >= 0, continuation < 3, bytes[index] & 0xC0 == 0x80 {
            continuation += 1
            index -= 1
        }
        guard index >= 0 else { return count }   // only continuation bytes: invalid, pass through
        let lead = bytes[index]
        let needed: Int
        switch lead {
        case 0xC0...0xDF: needed = 1
        case 0xE0...0xEF: needed = 2
        case 0xF0...0xF7: needed = 3
        default: needed = 0   // ASCII or an invalid lead byte: nothing to wait for
        }
        return continuation < needed ? index : count
    }
}
