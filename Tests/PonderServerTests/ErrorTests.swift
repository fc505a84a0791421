import Foundation
import Hummingbird
import HummingbirdTesting
@testable import PonderServer
import Testing

/// Bad input, auth and overload: each gets OpenAI's error shape and the right status.
@Suite struct ErrorTests {
    func expectError(_ body: ByteBuffer, status: HTTPResponse.Status, param: String?, code: String? = nil,
                     uri: String = "/v1/chat/completions", sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let app = try makeServer(maxBodyBytes: 4096).application
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .post, headers: jsonHeaders, body: body) { response in
                #expect(response.status == status, sourceLocation: sourceLocation)
                let error = try apiError(response)
                #expect(error["param"] as? String == param, sourceLocation: sourceLocation)
                if let code { #expect(error["code"] as? String == code, sourceLocation: sourceLocation) }
            }
        }
    }

    let user: [String: Any] = ["role": "user", "content": "Hi"]

    @Test func invalidJSON() async throws {
        try await expectError(ByteBuffer(string: "{\"messages\": [}"), status: .badRequest, param: nil, code: "invalid_json")
    }

    @Test func bodyOverTheLimit() async throws {
        let big = String(repeating: "x", count: 8000)
        try await expectError(json(["messages": [["role": "user", "content": big]]]), status: .contentTooLarge, param: nil, code: "request_too_large")
    }

    @Test func wrongTypes() async throws {
        try await expectError(json(["messages": "Hi"]), status: .badRequest, param: "messages", code: "invalid_type")
        try await expectError(json(["messages": [user], "temperature": "hot"]), status: .badRequest, param: "temperature", code: "invalid_type")
        try await expectError(json(["messages": [user], "stream": 1]), status: .badRequest, param: "stream", code: "invalid_type")
        try await expectError(json(["messages": [["role": "user", "content": 5]]]), status: .badRequest, param: "messages[0].content", code: "invalid_type")
        try await expectError(json(["messages": [user], "ponder": ["samples": "four"]]), status: .badRequest, param: "ponder.samples", code: "invalid_type")
    }

    @Test func outOfRangeValues() async throws {
        try await expectError(json(["messages": [user], "n": 99]), status: .badRequest, param: "n")
        try await expectError(json(["messages": [user], "max_completion_tokens": -5]), status: .badRequest, param: "max_completion_tokens")
        try await expectError(json(["messages": [user], "max_tokens": 10_000_000]), status: .badRequest, param: "max_tokens")
        try await expectError(json(["messages": [user], "temperature": 3.5]), status: .badRequest, param: "temperature")
        try await expectError(json(["messages": [user], "reasoning_effort": "extreme"]), status: .badRequest, param: "reasoning_effort")
        try await expectError(json(["messages": [user], "ponder": ["strategy": "guessing"]]), status: .badRequest, param: "ponder.strategy")
        try await expectError(json(["messages": [user], "ponder": ["tools": ["shell"]]]), status: .badRequest, param: "ponder.tools")
        try await expectError(json(["messages": [user], "ponder": ["budget": 3]]), status: .badRequest, param: "ponder.budget", code: "unknown_parameter")
        try await expectError(json(["messages": [user], "top_p": 0.5, "reasoning_effort": "low"]), status: .badRequest, param: "top_p")
    }

    @Test func confidenceFieldsOutOfRange() async throws {
        try await expectError(json(["messages": [user], "ponder": ["strategy": "confident-vote", "keep_fraction": 0]]),
                              status: .badRequest, param: "ponder.keep_fraction")
        try await expectError(json(["messages": [user], "ponder": ["keep_fraction": 1.5]]), status: .badRequest, param: "ponder.keep_fraction")
        try await expectError(json(["messages": [user], "ponder": ["keep_fraction": "most"]]), status: .badRequest, param: "ponder.keep_fraction",
                              code: "invalid_type")
        try await expectError(json(["messages": [user], "ponder": ["early_stop": "yes"]]), status: .badRequest, param: "ponder.early_stop",
                              code: "invalid_type")
    }

    @Test func emptyMessagesAndUnknownRole() async throws {
        try await expectError(json(["messages": []]), status: .badRequest, param: "messages", code: "empty_array")
        try await expectError(json(["model": "ponder"]), status: .badRequest, param: "messages", code: "missing_required_parameter")
        try await expectError(json(["messages": [["role": "wizard", "content": "Hi"]]]), status: .badRequest, param: "messages[0].role")
        try await expectError(json(["messages": [["role": "system", "content": "Be brief."]]]), status: .badRequest, param: "messages")
    }

    @Test func unknownModelIsA404() async throws {
        try await expectError(json(["model": "gpt-17", "messages": [user]]), status: .notFound, param: "model", code: "model_not_found")
    }

    @Test func responsesRouteValidatesToo() async throws {
        try await expectError(json(["model": "ponder"]), status: .badRequest, param: "input", uri: "/v1/responses")
        try await expectError(json(["input": "Hi", "reasoning": ["summary": "verbose"]]), status: .badRequest, param: "reasoning.summary", uri: "/v1/responses")
        try await expectError(json(["input": "Hi", "max_output_tokens": 0]), status: .badRequest, param: "max_output_tokens", uri: "/v1/responses")
    }

    @Test func apiKeyIsRequiredOnV1RoutesOnly() async throws {
        let app = try makeServer(apiKey: "s3cret").application
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/models", method: .get) { response in
                #expect(response.status == .unauthorized)
                let reply = try apiError(response)
                #expect(reply["code"] as? String == "invalid_api_key")
            }
            try await client.execute(uri: "/v1/models", method: .get, headers: [.authorization: "Bearer wrong"]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/models", method: .get, headers: [.authorization: "Bearer s3cret"]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func constantTimeCompareMatchesOnlyEqualKeys() {
        let key = Array("abcdef".utf8)
        #expect(APIKeyMiddleware.constantTimeEqual(key, key))
        #expect(!APIKeyMiddleware.constantTimeEqual(Array("abcdeg".utf8), key))
        #expect(!APIKeyMiddleware.constantTimeEqual(Array("abc".utf8), key))
        #expect(!APIKeyMiddleware.constantTimeEqual(Array("abcdefg".utf8), key))
        #expect(!APIKeyMiddleware.constantTimeEqual([], key))
        // 256 more bytes: a length difference folded into one byte would read as equal.
        #expect(!APIKeyMiddleware.constantTimeEqual(key + Array(repeating: UInt8(ascii: "x"), count: 256), key))
    }

    @Test func theKeyCheckCannotBeBypassedThroughThePath() async throws {
        let app = try makeServer(apiKey: "s3cret").application
        try await app.test(.router) { client in
            for uri in ["//v1/models", "/v1//models", "///v1/models", "/%76%31/models", "/v1/models/", "/nothing"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(uri) answered \(response.status) without a key")
                }
            }
            try await client.execute(uri: "//v1/chat/completions", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/models", method: .get,
                                     headers: [.authorization: "Bearer s3cret" + String(repeating: "x", count: 256)]) { response in
                #expect(response.status == .unauthorized)
            }
            for uri in ["/", "/health", "/metrics"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri) is public")
                }
            }
        }
    }

    @Test func overloadIsA429WithRetryAfterAndTheQueueRecovers() async throws {
        let model = HeldModel()
        let app = try makeServer(model: model, maxConcurrent: 1, queueLimit: 0).application
        try await app.test(.router) { client in
            let body = json(["messages": [["role": "user", "content": "Hi"]], "reasoning_effort": "none"])
            async let first = client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body)
            while model.startedCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
            let refused = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "2")
            let error = try apiError(refused)
            #expect(error["type"] as? String == "rate_limit_error")
            model.release()
            let firstStatus = try await first.status
            #expect(firstStatus == .ok)
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func unknownRouteIsAnOpenAIShaped404() async throws {
        let app = try makeServer().application
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                _ = try apiError(response)
            }
        }
    }
}
