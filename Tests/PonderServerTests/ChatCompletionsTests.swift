import Foundation
import Hummingbird
import HummingbirdTesting
@testable import PonderServer
import PonderTesting
import Testing

/// `/v1/chat/completions` against a scripted model: OpenAI's shapes, reasoning summaries, streaming.
@Suite struct ChatCompletionsTests {
    @Test func nonStreamedReplyCarriesAnswerSummariesAndReasoningUsage() async throws {
        let app = try makeServer().application
        try await app.test(.router) { client in
            let body = json(["model": "ponder", "messages": [["role": "user", "content": "What is 2 + 2?"]], "reasoning_effort": "low"])
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                #expect(response.status == .ok)
                let reply = try object(response)
                #expect(reply["object"] as? String == "chat.completion")
                let choice = try #require((reply["choices"] as? [[String: Any]])?.first)
                let message = try #require(choice["message"] as? [String: Any])
                #expect(message["content"] as? String == "4")
                let reasoning = try #require(message["reasoning_content"] as? String)
                #expect(reasoning.hasPrefix("**Assessing the question**"))
                #expect(reasoning.contains("**Settling on the answer**"))
                #expect(choice["finish_reason"] as? String == "stop")
                let usage = try #require(reply["usage"] as? [String: Any])
                let details = try #require(usage["completion_tokens_details"] as? [String: Any])
                let reasoningTokens = try #require(details["reasoning_tokens"] as? Int)
                #expect(reasoningTokens > 0)
                #expect((usage["completion_tokens"] as? Int ?? 0) > reasoningTokens)
                #expect(usage["total_tokens"] as? Int == (usage["prompt_tokens"] as? Int ?? 0) + (usage["completion_tokens"] as? Int ?? 0))
            }
        }
    }

    @Test func streamedReplySendsReasoningDeltasThenContentThenUsageAndDone() async throws {
        let app = try makeServer().application
        try await app.test(.router) { client in
            let body = json(["model": "ponder", "messages": [["role": "user", "content": "What is 2 + 2?"]], "stream": true,
                             "stream_options": ["include_usage": true]])
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream")
                let lines = sseData(response)
                #expect(lines.last == "[DONE]")
                var order: [String] = []
                var reasoning = ""
                var content = ""
                var usageSeen = false
                for line in lines.dropLast() {
                    let chunk = try decode(line)
                    #expect(chunk["object"] as? String == "chat.completion.chunk")
                    if let usage = chunk["usage"] as? [String: Any] {
                        usageSeen = true
                        #expect((chunk["choices"] as? [Any])?.isEmpty == true)
                        #expect(((usage["completion_tokens_details"] as? [String: Any])?["reasoning_tokens"] as? Int ?? 0) > 0)
                    }
                    guard let delta = ((chunk["choices"] as? [[String: Any]])?.first)?["delta"] as? [String: Any] else { continue }
                    if let text = delta["reasoning_content"] as? String { reasoning += text; order.append("reasoning") }
                    if let text = delta["content"] as? String, !text.isEmpty { content += text; order.append("content") }
                }
                #expect(usageSeen)
                #expect(content == "4")
                #expect(reasoning.hasPrefix("**Assessing the question**"))
                #expect(order.filter { $0 == "reasoning" }.count >= 3)
                #expect(order.firstIndex(of: "content")! > order.lastIndex(of: "reasoning")!)
            }
        }
    }

    @Test func aSingleChainsAnswerStreamsTokenByTokenAndStopStringsAreCutAcrossDeltas() async throws {
        let model = ScriptedModel { _ in .init("Two plus two is four.\nAnswer: four apples in the basket") }
        let app = try makeServer(model: model).application
        try await app.test(.router) { client in
            for (stop, expected) in [([String](), "four apples in the basket"), (["les in"], "four app")] {
                let body = json(["messages": [["role": "user", "content": "What is 2 + 2?"]], "reasoning_effort": "low",
                                 "stream": true, "stop": stop])
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                    var contents: [String] = []
                    var reasoningAfterContent = false
                    for line in sseData(response).dropLast() {
                        let delta = ((try decode(line)["choices"] as? [[String: Any]])?.first)?["delta"] as? [String: Any]
                        if let text = delta?["content"] as? String, !text.isEmpty { contents.append(text) }
                        if delta?["reasoning_content"] != nil, !contents.isEmpty { reasoningAfterContent = true }
                    }
                    #expect(contents.count >= (stop.isEmpty ? 4 : 2), "got \(contents)")   // one delta per word, not one final chunk
                    #expect(contents.joined() == expected)
                    #expect(!reasoningAfterContent)
                }
            }
        }
    }

    @Test func effortNoneStreamsTheModelsTokensAsTheyArrive() async throws {
        let app = try makeServer().application
        try await app.test(.router) { client in
            let body = json(["messages": [["role": "user", "content": "Hello"]], "reasoning_effort": "none", "stream": true])
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                let contents = try sseData(response).dropLast().compactMap { line -> String? in
                    let delta = ((try decode(line)["choices"] as? [[String: Any]])?.first)?["delta"] as? [String: Any]
                    return (delta?["content"] as? String).flatMap { $0.isEmpty ? nil : $0 }
                }
                #expect(contents.count == 3)                    // one delta per scripted token
                #expect(contents.joined() == "Hello there, friend.")
            }
        }
    }

    @Test func nChoicesAndStopStringsAreHonoured() async throws {
        let app = try makeServer().application
        try await app.test(.router) { client in
            let body = json(["messages": [["role": "user", "content": "Hello"]], "reasoning_effort": "none", "n": 3, "stop": ["friend"]])
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                let choices = try #require(try object(response)["choices"] as? [[String: Any]])
                #expect(choices.map { $0["index"] as? Int } == [0, 1, 2])
                for choice in choices {
                    let content = try #require((choice["message"] as? [String: Any])?["content"] as? String)
                    #expect(content.hasPrefix("Hello there,"))
                    #expect(!content.contains("friend"))
                }
            }
        }
    }

    @Test func ponderExtensionChoosesStrategyAndSamples() async throws {
        let model = arithmeticModel()
        let app = try makeServer(model: model).application
        try await app.test(.router) { client in
            let body = json(["messages": [["role": "user", "content": "What is 2 + 2?"]],
                             "ponder": ["strategy": "self-consistency", "samples": 5, "max_reasoning_tokens": 32, "tools": ["calculator"]]])
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                #expect(response.status == .ok)
                let ponder = try #require((try object(response)["ponder"] as? [[String: Any]])?.first)
                #expect(ponder["strategy"] as? String == "self-consistency")
            }
        }
        #expect(model.requests.first?.count == 5)
    }

    @Test func ponderAnswerBlockKeepsAMultiLineAnswerAndABadValueIsA400() async throws {
        let model = ScriptedModel { _ in .init("List them.\nAnswer:\n- red\n- green\n- blue\n") }
        let app = try makeServer(model: model).application
        try await app.test(.router) { client in
            func ask(_ answer: String) -> ByteBuffer {
                json(["messages": [["role": "user", "content": "Name three colours."]], "reasoning_effort": "low",
                      "ponder": ["answer": answer]])
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: ask("block")) { response in
                #expect(response.status == .ok)
                let message = try #require((try object(response)["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])
                #expect(message["content"] as? String == "- red\n- green\n- blue")
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: ask("line")) { response in
                let message = try #require((try object(response)["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])
                #expect(message["content"] as? String == "- red")
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: ask("paragraph")) { response in
                #expect(response.status == .badRequest)
                let error = try #require(try object(response)["error"] as? [String: Any])
                #expect(error["param"] as? String == "ponder.answer")
            }
        }
    }

    @Test func maxCompletionTokensCapsReasoningAndAnswerTogether() async throws {
        let rambling = Array(repeating: "and then", count: 200).joined(separator: " ")
        let model = ScriptedModel { _ in .init(rambling, afterInjection: " 4\n") }
        let app = try makeServer(model: model).application
        try await app.test(.router) { client in
            let body = json(["messages": [["role": "user", "content": "What is 2 + 2?"]], "reasoning_effort": "low", "max_completion_tokens": 30])
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                let usage = try #require(try object(response)["usage"] as? [String: Any])
                let completion = try #require(usage["completion_tokens"] as? Int)
                #expect(completion <= 30)
                #expect(completion > 10)
            }
        }
    }

    @Test func contextOverflowIsA400BeforeAndWhileStreaming() async throws {
        let app = try makeServer(model: TinyContextModel()).application
        try await app.test(.router) { client in
            for stream in [false, true] {
                let body = json(["messages": [["role": "user", "content": "A long question"]], "stream": stream])
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                    #expect(response.status == .badRequest)
                    let reply = try apiError(response)
                    #expect(reply["code"] as? String == "context_length_exceeded")
                }
            }
        }
    }
}
