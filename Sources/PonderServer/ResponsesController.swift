import Foundation
import Hummingbird
import PonderReasoning

/// `POST /v1/responses`: the part of OpenAI's Responses API that matters for reasoning: a
/// `reasoning` output item with `summary_text` parts, then the `message`, streamed with OpenAI's
/// event names.
struct ResponsesController: Sendable {
    let core: ServingCore

    func handle(_ request: Request, context: ServerContext) async throws -> Response {
        let body = try await core.body(of: request)
        let parsed = try ResponsesRequest.parse(body, configuration: core.configuration, modelNames: core.modelNames)
        let lease = try await core.admit(channel: context.channel)
        let ids = ResponseIDs()
        let created = Int(Date().timeIntervalSince1970)
        if parsed.request.stream {
            return try await stream(parsed, lease: lease, ids: ids, created: created, context: context)
        }
        defer { lease.release() }
        let events = core.events(of: parsed.request)
        let result = try await core.cancellable(channel: context.channel) {
            var result: ChoiceResult?
            for try await (_, event) in events.stream {
                if case .finished(let finished) = event { result = finished }
            }
            return result
        }
        guard let result else { throw CancellationError() }
        core.metrics.addPromptTokens(result.promptTokens)
        ChatCompletionsController.record([result], in: context.stats)
        let reply = envelope(parsed, ids: ids, created: created, status: "completed", output: [
            reasoningItem(ids, summaries: result.summaries.map { SummaryText.format($0, detail: parsed.summary ?? .auto) }, parsed: parsed),
            messageItem(ids, text: result.answer, status: "completed"),
        ], usage: usage(result))
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: reply.text)))
    }

    private func stream(_ parsed: ResponsesRequest.Parsed, lease: SlotLease, ids: ResponseIDs, created: Int, context: ServerContext) async throws -> Response {
        let core = self.core
        let requestID = context.requestID
        let stats = context.stats
        return try await core.streamingResponse(of: parsed.request, lease: lease, channel: context.channel) { writer, opening, cursor in
            var sequence = 0
            func emit(_ type: String, _ fields: [String: JSONValue]) async throws {
                var object = fields
                object["type"] = .string(type)
                object["sequence_number"] = .int(sequence)
                sequence += 1
                try await writer.write(ByteBuffer(string: "event: \(type)\ndata: \(JSONValue.object(object).text)\n\n"))
            }
            let showSummaries = parsed.summary != nil
            var summaries: [String] = []
            var answer = ""
            var messageOpen = false
            func openMessage() async throws {
                guard !messageOpen else { return }
                messageOpen = true
                let reasoning = reasoningItem(ids, summaries: summaries, parsed: parsed)
                try await emit("response.output_item.done", ["output_index": 0, "item": reasoning])
                try await emit("response.output_item.added", ["output_index": 1, "item": messageItem(ids, text: nil, status: "in_progress")])
                try await emit("response.content_part.added", ["item_id": .string(ids.message), "output_index": 1, "content_index": 0,
                                                               "part": ["type": "output_text", "text": "", "annotations": []]])
            }
            do {
                let pending = envelope(parsed, ids: ids, created: created, status: "in_progress", output: [], usage: nil)
                try await emit("response.created", ["response": pending])
                try await emit("response.in_progress", ["response": pending])
                try await emit("response.output_item.added", ["output_index": 0, "item": reasoningItem(ids, summaries: [], parsed: parsed)])
                var result: ChoiceResult?
                func handle(_ event: ChoiceEvent) async throws {
                    switch event {
                    case .started:
                        break
                    case .summary(let summary):
                        guard showSummaries, !messageOpen else { return }
                        let text = SummaryText.format(summary, detail: parsed.summary ?? .auto)
                        let index = JSONValue.int(summaries.count)
                        let place: [String: JSONValue] = ["item_id": .string(ids.reasoning), "output_index": 0, "summary_index": index]
                        try await emit("response.reasoning_summary_part.added", place.merging(["part": ["type": "summary_text", "text": ""]]) { $1 })
                        try await emit("response.reasoning_summary_text.delta", place.merging(["delta": .string(text)]) { $1 })
                        try await emit("response.reasoning_summary_text.done", place.merging(["text": .string(text)]) { $1 })
                        try await emit("response.reasoning_summary_part.done", place.merging(["part": ["type": "summary_text", "text": .string(text)]]) { $1 })
                        summaries.append(text)
                    case .answer(let text):
                        try await openMessage()
                        answer += text
                        try await emit("response.output_text.delta", ["item_id": .string(ids.message), "output_index": 1, "content_index": 0,
                                                                      "delta": .string(text), "logprobs": []])
                    case .finished(let finished):
                        result = finished
                    }
                }
                for (_, event) in opening { try await handle(event) }
                while let (_, event) = try await cursor.next() { try await handle(event) }
                guard let result else { throw CancellationError() }
                try await openMessage()
                let textPart: JSONValue = ["type": "output_text", "text": .string(answer), "annotations": []]
                let place: [String: JSONValue] = ["item_id": .string(ids.message), "output_index": 1, "content_index": 0]
                try await emit("response.output_text.done", place.merging(["text": .string(answer), "logprobs": []]) { $1 })
                try await emit("response.content_part.done", place.merging(["part": textPart]) { $1 })
                try await emit("response.output_item.done", ["output_index": 1, "item": messageItem(ids, text: answer, status: "completed")])
                core.metrics.addPromptTokens(result.promptTokens)
                ChatCompletionsController.record([result], in: stats)
                let final = envelope(parsed, ids: ids, created: created, status: "completed", output: [
                    reasoningItem(ids, summaries: summaries, parsed: parsed), messageItem(ids, text: answer, status: "completed"),
                ], usage: usage(result))
                try await emit("response.completed", ["response": final])
            } catch {
                let apiError = RequestLogMiddleware.clientError(from: error, requestID: requestID, logger: core.logger)
                try? await emit("error", ["code": .optional(apiError.code), "message": .string(apiError.message), "param": .optional(apiError.param)])
            }
        }
    }

    private func envelope(_ parsed: ResponsesRequest.Parsed, ids: ResponseIDs, created: Int, status: String, output: [JSONValue], usage: JSONValue?) -> JSONValue {
        let request = parsed.request
        return [
            "id": .string(ids.response), "object": "response", "created_at": .int(created), "status": .string(status),
            "model": .string(core.configuration.modelName), "output": .array(output),
            "instructions": .optional(parsed.instructions), "max_output_tokens": .optional(parsed.maxOutputTokens),
            "reasoning": ["effort": .string(request.effort.rawValue), "summary": .optional(parsed.summary?.rawValue)],
            "temperature": .optional(request.temperature), "top_p": .optional(request.topP),
            "parallel_tool_calls": false, "tool_choice": "none", "tools": [], "text": ["format": ["type": "text"]],
            "error": nil, "incomplete_details": nil, "metadata": [:], "usage": usage ?? .null,
        ]
    }

    private func reasoningItem(_ ids: ResponseIDs, summaries: [String], parsed: ResponsesRequest.Parsed) -> JSONValue {
        let parts: [JSONValue] = parsed.summary == nil ? [] : summaries.map { ["type": "summary_text", "text": .string($0)] }
        return ["type": "reasoning", "id": .string(ids.reasoning), "summary": .array(parts)]
    }

    private func messageItem(_ ids: ResponseIDs, text: String?, status: String) -> JSONValue {
        let content: [JSONValue] = text.map { [["type": "output_text", "text": .string($0), "annotations": []]] } ?? []
        return ["type": "message", "id": .string(ids.message), "status": .string(status), "role": "assistant", "content": .array(content)]
    }

    private func usage(_ result: ChoiceResult) -> JSONValue {
        let output = result.reasoningTokens + result.answerTokens
        return [
            "input_tokens": .int(result.promptTokens), "input_tokens_details": ["cached_tokens": 0],
            "output_tokens": .int(output), "output_tokens_details": ["reasoning_tokens": .int(result.reasoningTokens)],
            "total_tokens": .int(result.promptTokens + output),
        ]
    }
}

/// The ids of one response and its items.
struct ResponseIDs: Sendable {
    let response: String
    let reasoning: String
    let message: String

    init() {
        let hex = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        response = "resp_" + hex
        reasoning = "rs_" + hex
        message = "msg_" + hex
    }
}
