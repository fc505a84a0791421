import AsyncHTTPClient
import NIOCore
@testable import PonderRemote
import Testing

/// A pooled connection the upstream closed before answering (llama-server closes a kept-alive
/// connection after a few requests; under load the race is common) is sent again; nothing else is.
@Suite struct UpstreamRetryTests {
    @Test func aConnectionClosedBeforeTheAnswerIsRetriedAndNothingElseIs() {
        let url = "http://127.0.0.1:1/v1/chat/completions"
        #expect(UpstreamClient.isRetryable(UpstreamClient.translate(HTTPClientError.remoteConnectionClosed, url: url)))
        #expect(UpstreamClient.isRetryable(UpstreamClient.translate(ChannelError.ioOnClosedChannel, url: url)))
        #expect(!UpstreamClient.isRetryable(UpstreamClient.translate(HTTPClientError.connectTimeout, url: url)))
        #expect(!UpstreamClient.isRetryable(UpstreamClient.translate(HTTPClientError.readTimeout, url: url)))
        #expect(!UpstreamClient.isRetryable(RemoteError.upstream(status: 500, message: "boom")))
        #expect(!UpstreamClient.isRetryable(UpstreamClient.translate(HTTPClientError.cancelled, url: url)))
    }
}
