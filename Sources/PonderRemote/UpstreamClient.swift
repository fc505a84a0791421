import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PonderCore

/// Talks HTTP to the upstream: JSON requests for metadata and streamed completions decoded into
/// `StreamChunk`s. Every failure becomes a `RemoteError`; cancelling the consumer cancels the request.
struct UpstreamClient: Sendable {
    let configuration: RemoteConfiguration
    let logger: Logger

    /// One client for the process (never shut down): connections are pooled per upstream, up to 64
    /// at once so separate per-sequence requests run in parallel.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(10)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Most bytes read from an error body.
    private static let errorBodyLimit = 64 << 10

    private func makeRequest(url: String, body: Data?) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = body == nil ? .GET : .POST
        if let apiKey = configuration.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Accept", value: "text/event-stream")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return request
    }

    /// Sends a request and returns the response once its status is a success. A connection the
    /// server closed under us before any response arrived (a busy server dropping a kept-alive
    /// connection) is retried twice, a quarter second apart, before it counts as unreachable.
    private func send(_ request: HTTPClientRequest, url: String, timeout: Double) async throws -> HTTPClientResponse {
        var response: HTTPClientResponse?
        var attempt = 0
        while response == nil {
            do {
                response = try await Self.http.execute(request, timeout: .milliseconds(Int64(timeout * 1000)), logger: logger)
            } catch {
                let translated = Self.translate(error, url: url)
                guard Self.isRetryable(translated), attempt < 2 else { throw translated }
                attempt += 1
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        guard let response else { throw RemoteError.unreachable(url: url, detail: "no response") }
        guard (200..<300).contains(response.status.code) else {
            let body = (try? await response.body.collect(upTo: Self.errorBodyLimit)).map { Data($0.readableBytesView) } ?? Data()
            let message = WireError.message(in: body)
            let status = Int(response.status.code)
            if status == 401 || status == 403 { throw RemoteError.unauthorized(status: status, message: message) }
            throw RemoteError.upstream(status: status, message: message)
        }
        return response
    }

    /// GETs `url` (POSTs `body` when given) and decodes its JSON answer.
    func getJSON<Value: Decodable>(_ type: Value.Type, from url: String, body requestBody: Data? = nil) async throws -> Value {
        let response = try await send(makeRequest(url: url, body: requestBody), url: url, timeout: min(configuration.requestTimeout, 60))
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: 32 << 20)
        } catch {
            throw Self.translate(error, url: url)
        }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(body.readableBytesView))
        } catch {
            throw RemoteError.malformedStream("\(url) did not answer with the expected JSON")
        }
    }

    /// Counts the tokens of an injection with llama-server's `/tokenize`, tokenized as the local
    /// engine tokenizes it: special tokens are parsed only in format markup, never in plain text
    /// (a tool's result or program output), which is sent with `parse_special: false`.
    func countTokensWithLlamaServer(_ injection: InjectedText) async throws -> Int {
        struct Tokens: Decodable { var tokens: [Int] }
        let fields: [String: Any] = ["content": injection.text, "add_special": false, "parse_special": injection.kind == .markup]
        let body = try JSONSerialization.data(withJSONObject: fields)
        return try await getJSON(Tokens.self, from: configuration.serverRoot + "/tokenize", body: body).tokens.count
    }

    /// Streams a completion request: one `StreamChunk` per `data:` event, until `[DONE]` or the end
    /// of the body. Dropping or cancelling the stream cancels the HTTP request.
    func stream(_ upstreamRequest: UpstreamRequest) -> AsyncThrowingStream<StreamChunk, Error> {
        let url = configuration.endpoint(upstreamRequest.path)
        let request = makeRequest(url: url, body: upstreamRequest.body)
        return .producing { continuation in
            do {
                let response = try await send(request, url: url, timeout: configuration.requestTimeout)
                let contentType = response.headers.first(name: "content-type") ?? ""
                guard contentType.lowercased().contains("text/event-stream") else {
                    throw RemoteError.malformedStream("expected text/event-stream, got '\(contentType)'")
                }
                var parser = ServerSentEventParser()
                do {
                    for try await buffer in response.body {
                        for event in try parser.feed(buffer.readableBytesView) {
                            if try Self.deliver(event, to: continuation) { return }
                        }
                    }
                } catch let error as RemoteError {
                    throw error
                } catch {
                    if Task.isCancelled { throw CancellationError() }
                    throw RemoteError.malformedStream("the stream broke off (\(RemoteError.oneLine(String(describing: error), limit: 120)))")
                }
                if let event = parser.finish() { _ = try Self.deliver(event, to: continuation) }
            } catch {
                throw Task.isCancelled ? CancellationError() : error
            }
        }
    }

    /// Decodes one event and yields it; returns true at `[DONE]`.
    private static func deliver(_ event: ServerSentEvent, to continuation: AsyncThrowingStream<StreamChunk, Error>.Continuation) throws -> Bool {
        let data = event.data.trimmingCharacters(in: .whitespaces)
        if data == "[DONE]" { return true }
        if data.isEmpty { return false }
        let chunk: StreamChunk
        do {
            chunk = try JSONDecoder().decode(StreamChunk.self, from: Data(data.utf8))
        } catch {
            throw RemoteError.malformedStream("an event is not a JSON chunk: \(RemoteError.oneLine(data, limit: 80))")
        }
        if let error = chunk.error { throw RemoteError.streamError(RemoteError.oneLine(error.message)) }
        if event.name == "error" { throw RemoteError.streamError(RemoteError.oneLine(data)) }
        continuation.yield(chunk)
        return false
    }

    /// What `unreachable` says when the server closed a kept-alive connection under a request.
    static let closedDetail = "the server closed the connection"

    /// Whether a translated error is worth sending again: the server closed the pooled connection
    /// before answering (llama-server closes a kept-alive connection after a few requests), so the
    /// request never reached it.
    static func isRetryable(_ error: Error) -> Bool {
        guard case RemoteError.unreachable(_, let detail) = error else { return false }
        return detail == closedDetail
    }

    /// Turns a transport error into `CancellationError` or `RemoteError.unreachable`.
    static func translate(_ error: Error, url: String) -> Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if let error = error as? RemoteError { return error }
        if let error = error as? ChannelError, error == .ioOnClosedChannel {
            return RemoteError.unreachable(url: url, detail: closedDetail)   // written to a pooled connection already closed
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled: return CancellationError()
            case .deadlineExceeded, .readTimeout: return RemoteError.unreachable(url: url, detail: "timed out")
            case .connectTimeout: return RemoteError.unreachable(url: url, detail: "connection timed out")
            case .remoteConnectionClosed: return RemoteError.unreachable(url: url, detail: closedDetail)
            default: break
            }
        }
        let text = String(describing: error)
        let detail: String
        if text.localizedCaseInsensitiveContains("refused") {
            detail = "connection refused"
        } else if text.localizedCaseInsensitiveContains("lookup") || text.localizedCaseInsensitiveContains("resolve") {
            detail = "host name not found"
        } else {
            detail = RemoteError.oneLine(text, limit: 160)
        }
        return RemoteError.unreachable(url: url, detail: detail)
    }
}
