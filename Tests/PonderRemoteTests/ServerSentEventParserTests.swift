import Testing
@testable import PonderRemote

@Suite struct ServerSentEventParserTests {
    private func parse(_ chunks: [String]) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        for chunk in chunks { events += try parser.feed(Array(chunk.utf8)) }
        if let last = parser.finish() { events.append(last) }
        return events
    }

    @Test func eventsSplitAcrossChunksAtEveryByte() throws {
        let stream = "data: {\"a\":1}\n\ndata: [DONE]\n\n"
        let whole = try parse([stream])
        let bytes = try parse(stream.map { String($0) })
        #expect(whole.map(\.data) == ["{\"a\":1}", "[DONE]"])
        #expect(bytes == whole)
    }

    @Test func crlfAndBareCarriageReturnLineEnds() throws {
        #expect(try parse(["data: x\r\n\r\ndata: y\r\rdata: z\r\n", "\r\n"]).map(\.data) == ["x", "y", "z"])
        // A CRLF split between two chunks is one line end, not two.
        #expect(try parse(["data: x\r", "\ndata: y\r\n\r\n"]).map(\.data) == ["x\ny"])
    }

    @Test func multiLineDataCommentsAndEventNames() throws {
        let events = try parse([": keep-alive\n\nevent: error\ndata: line one\ndata:line two\nid: 7\n\n"])
        #expect(events == [ServerSentEvent(name: "error", data: "line one\nline two")])
    }

    @Test func finalEventWithoutBlankLineIsDelivered() throws {
        #expect(try parse(["data: last"]).map(\.data) == ["last"])
        #expect(try parse(["\n\n: only a comment\n"]).isEmpty)
    }

    @Test func multiByteCharactersSplitAcrossChunks() throws {
        let bytes = Array("data: 7×6 = 42 🎉\n\n".utf8)
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        for byte in bytes { events += try parser.feed([byte]) }
        #expect(events.map(\.data) == ["7×6 = 42 🎉"])
    }

    @Test func overlongLineIsAMalformedStream() {
        var parser = ServerSentEventParser(maxLineBytes: 8)
        #expect(throws: RemoteError.self) { _ = try parser.feed(Array("data: 0123456789".utf8)) }
    }
}
