/// One event of a `text/event-stream` response.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field, nil when absent (OpenAI's streams only use `data:`).
    public var name: String?
    /// The `data:` lines joined with newlines.
    public var data: String
}

/// Incremental parser for server-sent events (the WHATWG HTML "event stream" format, as OpenAI's
/// streaming API uses it): feed it bytes as they arrive in chunks of any size, take the complete
/// events out. Handles `\n`, `\r\n` and `\r` line ends, multi-line data, comments and a final
/// event without a blank line.
///
/// ```swift
/// var parser = ServerSentEventParser()
/// for event in parser.feed(bytes) where event.data != "[DONE]" { … }
/// let last = parser.finish()
/// ```
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var dataLines: [String] = []
    private var name: String?
    private var lastWasCarriageReturn = false
    /// Bytes seen in the line being read; a guard against a server that never ends a line.
    public let maxLineBytes: Int

    /// Creates a parser; a line longer than `maxLineBytes` makes `feed` throw.
    public init(maxLineBytes: Int = 16 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// Consumes bytes and returns the events they completed.
    /// - Throws: `RemoteError.malformedStream` for an over-long line.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n"), lastWasCarriageReturn {
                lastWasCarriageReturn = false
                continue
            }
            lastWasCarriageReturn = byte == UInt8(ascii: "\r")
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if let event = endLine() { events.append(event) }
            } else {
                line.append(byte)
                if line.count > maxLineBytes {
                    throw RemoteError.malformedStream("a line is longer than \(maxLineBytes) bytes")
                }
            }
        }
        return events
    }

    /// Ends the input: returns the last event if the stream did not end with a blank line.
    public mutating func finish() -> ServerSentEvent? {
        var event: ServerSentEvent?
        if !line.isEmpty { event = endLine() }
        return event ?? dispatch()
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }   // a comment (keep-alive)
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = text[...]
            value = ""
        }
        switch field {
        case "data": dataLines.append(String(value))
        case "event": name = String(value)
        default: break   // id, retry and unknown fields are not used by OpenAI streams
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer { dataLines.removeAll(); name = nil }
        guard !dataLines.isEmpty else { return nil }
        return ServerSentEvent(name: name, data: dataLines.joined(separator: "\n"))
    }
}
