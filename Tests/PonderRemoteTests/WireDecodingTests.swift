import Foundation
import PonderCore
import Testing
@testable import PonderRemote

@Suite struct WireDecodingTests {
    private func chunk(_ json: String) throws -> StreamChunk {
        try JSONDecoder().decode(StreamChunk.self, from: Data(json.utf8))
    }

    @Test func chatChunkWithLlamaServerLogprobs() throws {
        let decoded = try chunk("""
            {"choices":[{"finish_reason":null,"index":1,"delta":{"content":"ad"},"logprobs":{"content":[{"id":344,"token":"ad",\
            "bytes":[97,100],"logprob":-0.66,"top_logprobs":[{"id":344,"token":"ad","logprob":-0.66},{"id":301,"token":"il","logprob":-1.8}]}]}}]}
            """)
        let choice = try #require(decoded.choices?.first)
        #expect(choice.index == 1 && choice.newText == "ad")
        let entry = try #require(choice.logprobs?.entries.first)
        #expect(entry.id == 344 && entry.logprob == -0.66 && entry.topLogprobs?.map(\.token) == ["ad", "il"])
    }

    @Test func legacyCompletionLogprobsAndUsageChunk() throws {
        let decoded = try chunk("""
            {"choices":[{"index":0,"text":" Yes","finish_reason":"stop","logprobs":{"tokens":[" Yes"],"token_logprobs":[-0.1],\
            "top_logprobs":[{" No":-2.5," Yes":-0.1}]}}],"usage":{"prompt_tokens":12,"completion_tokens":1}}
            """)
        let choice = try #require(decoded.choices?.first)
        #expect(choice.newText == " Yes" && choice.finishReason == "stop")
        #expect(choice.logprobs?.entries.first?.topLogprobs?.map(\.token) == [" Yes", " No"])
        #expect(decoded.usage == WireUsage(promptTokens: 12, completionTokens: 1))
    }

    @Test func errorBodiesInEveryShape() {
        #expect(WireError.message(in: Data(#"{"error":{"message":"Invalid API Key","type":"authentication_error"}}"#.utf8)) == "Invalid API Key")
        #expect(WireError.message(in: Data(#"{"error":"model 'x' not found"}"#.utf8)) == "model 'x' not found")
        #expect(WireError.message(in: Data(#"{"object":"error","message":"max_tokens too large"}"#.utf8)) == "max_tokens too large")
        #expect(WireError.message(in: Data("<html>\nBad Gateway\n</html>".utf8)) == "<html> Bad Gateway </html>")
    }

    @Test func sequenceStateHoldsBackStopStringsAndCountsTokens() throws {
        var state = SequenceState(index: 0, stop: ["END"], includeLogprobs: false, includeTop: false)
        let firstChunk = try chunk(#"{"choices":[{"delta":{"content":"42 E"}}]}"#)
        let secondChunk = try chunk(#"{"choices":[{"delta":{"content":"ND more"}}]}"#)
        let first = state.absorb(try #require(firstChunk.choices?.first))
        #expect(first.delta?.text == "42 " && first.tokens == 1 && !first.stopped)
        let second = state.absorb(try #require(secondChunk.choices?.first))
        #expect(second.stopped && second.visible == "" && state.sampled == 2)
        #expect(state.assistantText == "42 ")
    }
}
