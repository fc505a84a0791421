@testable import PonderCore
import Testing

@Suite struct StreamingTextFilterTests {
    /// Feeds the bytes one at a time and collects what comes out.
    private func feedBytewise(_ text: String, stop: [String] = []) -> (chunks: [String], stopped: Bool) {
        var filter = StreamingTextFilter(stop: stop)
        var chunks: [String] = []
        for byte in text.utf8 {
            let output = filter.append([byte])
            if !output.text.isEmpty { chunks.append(output.text) }
            if output.stopped { return (chunks, true) }
        }
        let rest = filter.finish()
        if !rest.text.isEmpty { chunks.append(rest.text) }
        return (chunks, rest.stopped)
    }

    @Test func emojiSplitAcrossTokensIsNeverEmittedHalfWay() {
        let (chunks, stopped) = feedBytewise("ok 👍🏽 done")
        #expect(!stopped)
        #expect(chunks.joined() == "ok 👍🏽 done")
        #expect(!chunks.joined().contains("\u{FFFD}"))
        // Every chunk is valid text on its own.
        for chunk in chunks { #expect(Array(chunk.utf8) == Array(String(decoding: Array(chunk.utf8), as: UTF8.self).utf8)) }
    }

    @Test func cjkBytewise() {
        let (chunks, _) = feedBytewise("你好，世界")
        #expect(chunks == ["你", "好", "，", "世", "界"])
    }

    @Test func stopStringSplitAcrossTokensIsHeldBackAndCut() {
        var filter = StreamingTextFilter(stop: ["</answer>"])
        var emitted = ""
        var stopped = false
        for piece in ["The answer is 42", "</ans", "wer", "> trailing"] {
            let output = filter.append(Array(piece.utf8))
            emitted += output.text
            #expect(!emitted.contains("<"), "a partial stop string was emitted: \(emitted)")
            if output.stopped { stopped = true; break }
        }
        #expect(stopped)
        #expect(emitted == "The answer is 42")
    }

    @Test func heldPrefixIsReleasedWhenItTurnsOutNotToBeAStop() {
        var filter = StreamingTextFilter(stop: ["\n\n"])
        #expect(filter.append(Array("line\n".utf8)).text == "line")
        let output = filter.append(Array("next".utf8))
        #expect(output.text == "\nnext")
        #expect(!output.stopped)
    }

    @Test func earliestOfSeveralStopsWins() {
        var filter = StreamingTextFilter(stop: ["END", "STOP"])
        let output = filter.append(Array("a STOP b END".utf8))
        #expect(output.stopped)
        #expect(output.text == "a ")
    }

    @Test func finishFlushesHeldTextAndBrokenBytes() {
        var filter = StreamingTextFilter(stop: ["###"])
        #expect(filter.append(Array("x#".utf8)).text == "x")
        #expect(filter.append([0xE4, 0xBD]).text == "")   // first two bytes of 你
        #expect(filter.finish().text == "#\u{FFFD}")
    }

    @Test func nothingAfterStop() {
        var filter = StreamingTextFilter(stop: ["."])
        #expect(filter.append(Array("a.b".utf8)) == .init(text: "a", stopped: true))
        #expect(filter.append(Array("more".utf8)).text == "")
        #expect(filter.isStopped)
    }

    @Test func completePrefixLength() {
        #expect(StreamingTextFilter.completePrefixLength(Array("abc".utf8)) == 3)
        #expect(StreamingTextFilter.completePrefixLength([0x61, 0xF0, 0x9F, 0x91]) == 1)
        #expect(StreamingTextFilter.completePrefixLength([0xF0, 0x9F, 0x91, 0x8D]) == 4)
    }
}
