import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import PonderCore
@testable import PonderServer
import PonderTesting
import PonderTools
import Synchronization
import Testing

/// The server's guards (issue 13): code execution only when the operator allows it, JSON-only
/// bodies, the origin and host policies, request ids and generic internal errors, and the
/// connection bookkeeping that must not grow or strand requests. The same probes run against the
/// release binary in scripts/checks/35-security.
@Suite struct SecurityTests {
    /// Counts the programs it is asked to run (the real sandbox is tested in PonderSandboxTests).
    final class CountingRunner: CodeRunner {
        let runs = Mutex(0)
        func runPython(_ source: String) async -> CodeRunOutcome {
            runs.withLock { $0 += 1 }
            return CodeRunOutcome(output: "4", isError: false)
        }
    }

    static let codeModel = ScriptedModel { _ in .init("Let me run it.\n```python\nprint(2 + 2)\n```\nAnswer: 4") }

    func server(model: any LanguageModel = arithmeticModel(), codeRunner: (any CodeRunner)? = nil, corsOrigins: [String] = [],
                apiKey: String? = nil) throws -> ServerApplication {
        var configuration = try ServerConfiguration(port: 0, apiKey: apiKey, defaultEffort: .low, corsOrigins: corsOrigins)
        configuration.codeRunner = codeRunner
        return PonderServer.buildApplication(configuration: configuration, model: model)
    }

    @Test func pythonIsRefusedUnlessTheOperatorAllowsCodeExecution() async throws {
        let pythonChat = json(["messages": [["role": "user", "content": "What is 2 + 2?"]], "ponder": ["tools": ["python"]]])
        try await server(model: Self.codeModel).application.test(.router) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: pythonChat) { response in
                #expect(response.status == .badRequest)
                let error = try apiError(response)
                #expect(error["param"] as? String == "ponder.tools")
                #expect(error["code"] as? String == "code_execution_disabled")
                #expect((error["message"] as? String)?.contains("--allow-code-execution") == true)
            }
            let responses: [String: Any] = ["input": "What is 2 + 2?", "ponder": ["tools": ["calculator", "python"]]]
            try await client.execute(uri: "/v1/responses", method: .post, headers: jsonHeaders, body: json(responses)) { response in
                #expect(response.status == .badRequest)
                let error = try apiError(response)
                    #expect(error["param"] as? String == "ponder.tools")
            }
        }
        let runner = CountingRunner()
        try await server(model: Self.codeModel, codeRunner: runner).application.test(.router) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: pythonChat) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(runner.runs.withLock { $0 } == 1)
    }

    @Test func jsonRoutesTakeOnlyJSONBodies() async throws {
        let body = json(["messages": [["role": "user", "content": "What is 2 + 2?"]]])
        try await server().application.test(.router) { client in
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: [.contentType: type], body: body) { response in
                    #expect(response.status == .unsupportedMediaType, "\(type)")
                    let error = try apiError(response)
                    #expect(error["code"] as? String == "unsupported_media_type")
                }
            }
            try await client.execute(uri: "/v1/responses", method: .post, body: json(["input": "Hi"])) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post,
                                     headers: [.contentType: "Application/JSON; charset=utf-8"], body: body) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func onlyTheServersOwnPageAndAllowedOriginsMayCallFromABrowser() async throws {
        let body = json(["messages": [["role": "user", "content": "What is 2 + 2?"]]])
        try await server(corsOrigins: ["https://app.example"]).application.test(.router) { client in
            var headers = jsonHeaders
            headers[.origin] = "http://evil.example"
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .forbidden)
                let error = try apiError(response)
                    #expect(error["code"] as? String == "origin_not_allowed")
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
            headers[.origin] = "http://localhost"   // the router test's own authority
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
            headers[.origin] = "https://app.example"
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example")
            }
            try await client.execute(uri: "/v1/chat/completions", method: .options, headers: [.origin: "https://app.example"]) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example")
                #expect(response.headers[.accessControlAllowHeaders]?.contains("authorization") == true)
            }
        }
    }

    @Test func theBearerSchemeIsCaseInsensitiveAndOnlyTheWholeKeyMatches() async throws {
        try await server(apiKey: "s3cret").application.test(.router) { client in
            for header in ["Bearer s3cret", "bearer s3cret", "BEARER  s3cret "] {
                try await client.execute(uri: "/v1/models", method: .get, headers: [.authorization: header]) { response in
                    #expect(response.status == .ok, "\(header)")
                }
            }
            for header in ["Basic s3cret", "Bearer", "Bearers3cret", "Bearer s3cre", "Bearer s3crett", "s3cret"] {
                try await client.execute(uri: "/v1/models", method: .get, headers: [.authorization: header]) { response in
                    #expect(response.status == .unauthorized, "\(header)")
                }
            }
        }
    }

    /// A model whose backend fails with a message that must not reach clients.
    struct FailingModel: LanguageModel {
        let info = ModelInfo(name: "failing", contextLength: 4096)
        func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
            AsyncThrowingStream { $0.finish(throwing: PonderError.backend("llama_decode failed reading /home/operator/secret.gguf")) }
        }
    }

    @Test func everyResponseHasARequestIDAndInternalErrorsAreGeneric() async throws {
        let body = json(["messages": [["role": "user", "content": "What is 2 + 2?"]]])
        try await server(model: FailingModel()).application.test(.router) { client in
            var headers = jsonHeaders
            headers[.requestID] = "client-7"
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers[.requestID] == "client-7")
                let error = try apiError(response)
                let message = error["message"] as? String ?? ""
                #expect(message.contains("client-7"))
                #expect(!message.contains("secret") && !message.contains("llama_decode"))
                #expect(error["code"] as? String == "internal_error")
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.headers[.requestID]?.hasPrefix("req_") == true)
            }
            try await client.execute(uri: "/health", method: .get, headers: [.requestID: "has space"]) { response in
                let id = response.headers[.requestID] ?? ""
                #expect(id.hasPrefix("req_") && id != "has space")
            }
        }
        let stream = json(["messages": [["role": "user", "content": "What is 2 + 2?"]], "stream": true, "reasoning_effort": "none"])
        try await server(model: FailingModel()).application.test(.router) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: stream) { response in
                #expect(!String(buffer: response.body).contains("secret"))
            }
        }
    }

    @Test func hostNamesAndTheLoopbackPolicy() throws {
        #expect(HostCheckMiddleware.name(of: "LocalHost:8080") == "localhost")
        #expect(HostCheckMiddleware.name(of: "[::1]:8080") == "[::1]")
        #expect(HostCheckMiddleware.name(of: "127.0.0.1") == "127.0.0.1")
        let loopback = HostCheckMiddleware(configuration: try ServerConfiguration(port: 0))
        #expect(loopback.allowed.isSuperset(of: ["localhost", "127.0.0.1", "[::1]"]))
        #expect(!loopback.allowed.contains("evil.example"))
        let named = HostCheckMiddleware(configuration: try ServerConfiguration(host: "0.0.0.0", port: 0, apiKey: "k", allowedHosts: ["Ponder.Lan"]))
        #expect(named.allowed.contains("ponder.lan") && !named.allowed.contains("localhost"))
        #expect(!HostCheckMiddleware.applies(to: try ServerConfiguration(host: "0.0.0.0", port: 0, apiKey: "k")))
    }

    @Test func aNetworkBindNeedsAKeyOrAnExplicitOptOut() throws {
        #expect(throws: ServerConfigurationError.self) { try ServerConfiguration(host: "0.0.0.0", port: 0) }
        #expect(throws: ServerConfigurationError.self) { try ServerConfiguration(host: "192.168.1.4", port: 0) }
        _ = try ServerConfiguration(host: "0.0.0.0", port: 0, apiKey: "k")
        _ = try ServerConfiguration(host: "0.0.0.0", port: 0, allowNoKeyOnNetwork: true)
        _ = try ServerConfiguration(host: "localhost", port: 0)
        #expect(throws: ServerConfigurationError.self) { try ServerConfiguration(port: 0, corsOrigins: ["*"]) }
        #expect(throws: ServerConfigurationError.self) { try ServerConfiguration(port: 0, headerTimeoutSeconds: 0) }
        #expect(throws: ServerConfigurationError.self) { try ServerConfiguration(port: 0, maxConnections: 0) }
    }

    @Test func aFinishedRequestLeavesNoCallbackOnItsConnection() async throws {
        let channel = EmbeddedChannel()
        let watcher = ConnectionWatcher()
        try await channel.pipeline.addHandler(watcher)
        let cancelled = Tally()
        for _ in 0..<100 {
            let watch = DisconnectWatch(task: { cancelled.add() }, metrics: ServerMetrics())
            watch.watch(channel)
            try await waitUntil { watcher.callbackCount >= 1 }
            watch.finish()
        }
        #expect(watcher.callbackCount == 0)
        // A request still running when the client leaves is cancelled.
        let watch = DisconnectWatch(task: { cancelled.add() }, metrics: ServerMetrics())
        watch.watch(channel)
        try await waitUntil { watcher.callbackCount == 1 }
        channel.pipeline.fireChannelInactive()
        #expect(cancelled.value == 1)
        _ = try? channel.finish()
    }

    @Test func aClientThatLeavesWhileQueuedLeavesTheQueueAtOnce() async throws {
        let app = try makeServer(model: HeldModel(), maxConcurrent: 1, queueLimit: 4)
        let core = app.core
        let first = try await core.admit()
        let channel = EmbeddedChannel()
        try await channel.pipeline.addHandler(ConnectionWatcher())
        let waiting = Task { try await core.admit(channel: channel) }
        try await waitUntil { core.gate.waiting == 1 }
        channel.pipeline.fireChannelInactive()
        try await waitUntil { core.gate.waiting == 0 }
        let result = await waiting.result
        if case .success = result { Issue.record("a client that left was admitted") }
        #expect(core.gate.running == 1)
        first.release()
        #expect(core.gate.running == 0)
        _ = try? channel.finish()
    }

    @Test func theGateNeverStrandsAWaiter() async throws {
        let gate = AdmissionGate(maxRunning: 2, queueLimit: 10_000)
        let done = Tally()
        for _ in 0..<4000 {
            Task {
                try await gate.enter()
                await Task.yield()
                gate.leave()
                done.add()
            }
        }
        // A stranded waiter (a slot freed between deciding to wait and joining the queue) never ends.
        try await waitUntil(seconds: 60) { done.value == 4000 }
        #expect(gate.running == 0)
        #expect(gate.waiting == 0)
    }

    func waitUntil(seconds: Double = 5, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while !condition() {
            try #require(ContinuousClock.now < deadline, "timed out")
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// A thread-safe count.
final class Tally: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
