import Foundation
import Hummingbird
import HummingbirdTesting
import PonderCore
@testable import PonderServer
import Testing

/// `/v1/responses`, `/v1/models`, `/health`, `/metrics` and the web page.
@Suite struct ResponsesAndInfoTests {
    @Test func responsesReturnAReasoningItemWithTitledSummariesThenTheMessage() async throws {
        let app = try makeServer().application
        try await app.test(.router) { client in
            let body = json(["model": "ponder", "input": "What is 2 + 2?", "instructions": "Be brief.",
                             "reasoning": ["effort": "low", "summary": "auto"]])
            try await client.execute(uri: "/v1/responses", method: .post, headers: jsonHeaders, body: body) { response in
                #expect(response.status == .ok)
                let reply = try object(response)
                #expect(reply["object"] as? String == "response")
                #expect(reply["status"] as? String == "completed")
                let output = try #require(reply["output"] as? [[String: Any]])
                #expect(output.map { $0["type"] as? String } == ["reasoning", "message"])
                let parts = try #require(output[0]["summary"] as? [[String: Any]])
                #expect(parts.count >= 3)
                #expect(parts.allSatisfy { $0["type"] as? String == "summary_text" && ($0["text"] as? String ?? "").hasPrefix("**") })
                let content = try #require((output[1]["content"] as? [[String: Any]])?.first)
                #expect(content["type"] as? String == "output_text")
                #expect(content["text"] as? String == "4")
                let usage = try #require(reply["usage"] as? [String: Any])
                #expect(((usage["output_tokens_details"] as? [String: Any])?["reasoning_tokens"] as? Int ?? 0) > 0)
            }
        }
    }

    @Test func responsesWithoutSummaryOmitTheSummaryParts() async throws {
        let app = try makeServer().application
        try await app.test(.router) { client in
            let body = json(["input": "What is 2 + 2?"])
            try await client.execute(uri: "/v1/responses", method: .post, headers: jsonHeaders, body: body) { response in
                let output = try #require(try object(response)["output"] as? [[String: Any]])
                #expect((output[0]["summary"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func streamedResponsesUseOpenAIsEventNamesInOrder() async throws {
        let app = try makeServer().application
        try await app.test(.router) { client in
            let body = json(["input": [["role": "user", "content": [["type": "input_text", "text": "What is 2 + 2?"]]]],
                             "reasoning": ["effort": "low", "summary": "detailed"], "stream": true])
            try await client.execute(uri: "/v1/responses", method: .post, headers: jsonHeaders, body: body) { response in
                let events = sseEvents(response)
                #expect(events.first == "response.created")
                #expect(events.last == "response.completed")
                for name in ["response.in_progress", "response.output_item.added", "response.reasoning_summary_part.added",
                             "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
                             "response.reasoning_summary_part.done", "response.content_part.added", "response.output_text.delta",
                             "response.output_text.done", "response.content_part.done", "response.output_item.done"] {
                    #expect(events.contains(name), "missing \(name)")
                }
                let lastSummary = try #require(events.lastIndex(of: "response.reasoning_summary_text.delta"))
                let firstText = try #require(events.firstIndex(of: "response.output_text.delta"))
                #expect(lastSummary < firstText)
                let data = sseData(response)
                let sequence = try data.map { try decode($0)["sequence_number"] as? Int }
                #expect(sequence == Array(0..<data.count))
                let completed = try decode(data.last!)
                let final = try #require(completed["response"] as? [String: Any])
                #expect(final["status"] as? String == "completed")
            }
        }
    }

    @Test func modelsHealthAndMetrics() async throws {
        let app = try makeServer(metrics: ServerMetrics(engineLoad: { EngineLoad(activeSequences: 0, queuedRequests: 0, occupiedSlots: 0) })).application
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/models", method: .get) { response in
                let data = try #require(try object(response)["data"] as? [[String: Any]])
                #expect(data.first?["id"] as? String == "ponder")
                #expect(data.first?["object"] as? String == "model")
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let reply = try object(response)
                #expect(reply["status"] as? String == "ok")
            }
            let body = json(["messages": [["role": "user", "content": "What is 2 + 2?"]]])
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("ponder_requests_total{route=\"/v1/chat/completions\",status=\"200\"} 1"))
                #expect(text.contains("ponder_request_duration_seconds_count 1"))
                #expect(text.contains("ponder_engine_active_sequences 0"))
                #expect(text.contains("ponder_queue_depth 0"))
                let reasoning = text.split(separator: "\n").first { $0.hasPrefix("ponder_reasoning_tokens_total ") }
                #expect((reasoning.flatMap { Int($0.split(separator: " ")[1]) } ?? 0) > 0)
            }
        }
    }

    @Test func theWebPageIsServedSelfContained() async throws {
        let app = try makeServer().application
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let page = String(buffer: response.body)
                #expect(page.contains("id=\"effort\""))
                #expect(page.contains("Thought for"))
                #expect(!page.contains("http://") && !page.contains("https://"))   // nothing from a CDN
            }
        }
    }
}
