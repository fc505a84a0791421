import Foundation
import Hummingbird
import PonderReasoning

/// `POST /v1/chat/completions`: OpenAI's chat completions, with the reasoning summaries in
/// `reasoning_content` and real SSE streaming.
struct ChatCompletionsController: Sendable {
    let core: ServingCore

    func handle(_ request: Request, context: ServerContext) async throws -> Response {
        let body = try await core.body(of: request)
        let serving = try ChatCompletionRequest.parse(body, configuration: core.configuration, modelNames: core.modelNames)
        let lease = try await core.admit(channel: context.channel)
        let id = "chatcmpl-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let created = Int(Date().timeIntervalSince1970)
        if serving.stream {
            return try await stream(serving, lease: lease, id: id, created: created, context: context)
        }
        defer { lease.release() }
        let events = core.events(of: serving)
        let results = try await core.cancellable(channel: context.channel) {
            var results: [Int: ChoiceResult] = [:]
            for try await (index, event) in events.stream {
                if case .finished(let result) = event { results[index] = result }
            }
            return results
        }
        let ordered = (0..<serving.n).compactMap { results[$0] }
        guard ordered.count == serving.n else { throw CancellationError() }
        core.metrics.addPromptTokens(ordered[0].promptTokens)
        Self.record(ordered, in: context.stats)
        let choices: [JSONValue] = ordered.enumerated().map { index, result in
            [
                "index": .int(index),
                "message": [
                    "role": "assistant", "content": .string(result.answer),
                    "reasoning_content": result.summaries.isEmpty ? .null : .string(SummaryText.joined(result.summaries)),
                    "refusal": nil,
                ],
                "logprobs": nil,
                "finish_reason": .string(result.finishReason),
            ]
        }
        let reply: JSONValue = [
            "id": .string(id), "object": "chat.completion", "created": .int(created), "model": .string(core.configuration.modelName),
            "system_fingerprint": nil, "choices": .array(choices), "usage": Self.usage(ordered),
            "ponder": Self.extensionObject(ordered),
        ]
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: reply.text)))
    }

    private func stream(_ serving: ServingRequest, lease: SlotLease, id: String, created: Int, context: ServerContext) async throws -> Response {
        let model = core.configuration.modelName
        let core = self.core
        let requestID = context.requestID
        let stats = context.stats
        @Sendable func chunk(_ choices: [JSONValue], usage: JSONValue? = nil) -> ByteBuffer {
            var object: [String: JSONValue] = [
                "id": .string(id), "object": "chat.completion.chunk", "created": .int(created), "model": .string(model),
                "system_fingerprint": nil, "choices": .array(choices),
            ]
            if serving.includeUsage { object["usage"] = usage ?? .null }
            return ByteBuffer(string: "data: \(JSONValue.object(object).text)\n\n")
        }
        @Sendable func delta(_ index: Int, _ delta: JSONValue, finish: String? = nil) -> JSONValue {
            ["index": .int(index), "delta": delta, "logprobs": nil, "finish_reason": .optional(finish)]
        }
        return try await core.streamingResponse(of: serving, lease: lease, channel: context.channel) { writer, opening, cursor in
            var results: [Int: ChoiceResult] = [:]
            var summariesSent = Set<Int>()
            for index in 0..<serving.n {
                try await writer.write(chunk([delta(index, ["role": "assistant", "content": ""])]))
            }
            func send(_ index: Int, _ event: ChoiceEvent) async throws {
                switch event {
                case .started:
                    break
                case .summary(let summary):
                    let separator = summariesSent.insert(index).inserted ? "" : "\n\n"
                    try await writer.write(chunk([delta(index, ["reasoning_content": .string(separator + SummaryText.format(summary))])]))
                case .answer(let text):
                    try await writer.write(chunk([delta(index, ["content": .string(text)])]))
                case .finished(let result):
                    results[index] = result
                    try await writer.write(chunk([delta(index, [:], finish: result.finishReason)]))
                }
            }
            do {
                for (index, event) in opening { try await send(index, event) }
                while let (index, event) = try await cursor.next() { try await send(index, event) }
                let ordered = (0..<serving.n).compactMap { results[$0] }
                guard ordered.count == serving.n else { throw CancellationError() }
                core.metrics.addPromptTokens(ordered[0].promptTokens)
                Self.record(ordered, in: stats)
                if serving.includeUsage { try await writer.write(chunk([], usage: Self.usage(ordered))) }
                try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
            } catch {
                // Headers are gone: report in-band, as OpenAI does, then end the stream.
                let apiError = RequestLogMiddleware.clientError(from: error, requestID: requestID, logger: core.logger)
                try? await writer.write(ByteBuffer(string: "data: \(String(decoding: apiError.body, as: UTF8.self))\n\n"))
            }
        }
    }

    /// Puts the reply's token counts on the request's access-log line.
    static func record(_ results: [ChoiceResult], in stats: RequestStats) {
        let completion = results.reduce(0) { $0 + $1.reasoningTokens + $1.answerTokens }
        stats.record(promptTokens: results.first?.promptTokens ?? 0, completionTokens: completion)
    }

    static func usage(_ results: [ChoiceResult]) -> JSONValue {
        let prompt = results.first?.promptTokens ?? 0
        let reasoning = results.reduce(0) { $0 + $1.reasoningTokens }
        let completion = results.reduce(0) { $0 + $1.reasoningTokens + $1.answerTokens }
        return [
            "prompt_tokens": .int(prompt), "completion_tokens": .int(completion), "total_tokens": .int(prompt + completion),
            "prompt_tokens_details": ["cached_tokens": 0],
            "completion_tokens_details": ["reasoning_tokens": .int(reasoning)],
        ]
    }

    /// The `ponder` object of a reply: what each choice's reasoning did.
    static func extensionObject(_ results: [ChoiceResult]) -> JSONValue {
        .array(results.map { result in
            [
                "strategy": .string(result.strategy.rawValue), "resolved_effort": .string(result.resolvedEffort.rawValue),
                "elapsed_seconds": .number((result.elapsedSeconds * 100).rounded() / 100),
                "summaries": .array(result.summaries.map { ["title": .string($0.title), "text": .string($0.text), "seconds": .number($0.seconds)] }),
            ]
        })
    }
}
