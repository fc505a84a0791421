import Foundation
import Hummingbird
import HummingbirdTesting
import PonderCore
@testable import PonderServer
import PonderTesting
import PonderTools
import Synchronization
import Testing

/// A scripted model whose every chain reasons a little, then answers "Answer: 4".
func arithmeticModel() -> ScriptedModel {
    ScriptedModel { call in
        if call.lastUserMessage?.contains("Hello") == true { return .init("Hello there, friend.") }
        return .init("Two plus two is four.\nAnswer: 4")
    }
}

func makeServer(model: any LanguageModel = arithmeticModel(), apiKey: String? = nil, maxConcurrent: Int = 8, queueLimit: Int = 32,
                maxBodyBytes: Int = 1 << 20, metrics: ServerMetrics = ServerMetrics()) throws -> ServerApplication {
    var configuration = try ServerConfiguration(port: 0, apiKey: apiKey, maxBodyBytes: maxBodyBytes, maxConcurrentRequests: maxConcurrent,
                                                queueLimit: queueLimit, defaultEffort: .low)
    configuration.toolCatalog = BuiltInToolCatalog()   // what `ponder serve` hands in without --allow-code-execution
    return PonderServer.buildApplication(configuration: configuration, model: model, metrics: metrics)
}

func json(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

let jsonHeaders: HTTPFields = [.contentType: "application/json"]

/// The parsed JSON body of a response.
func object(_ response: TestResponse) throws -> [String: Any] {
    let data = Data(buffer: response.body)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "body: \(String(decoding: data, as: UTF8.self))")
}

/// The `error` object of an OpenAI-shaped error body, checked for all four keys.
func apiError(_ response: TestResponse) throws -> [String: Any] {
    let error = try #require(try object(response)["error"] as? [String: Any])
    #expect(error["message"] is String)
    #expect(error["type"] is String)
    #expect(error.keys.contains("param"))
    #expect(error.keys.contains("code"))
    return error
}

/// The `data:` payloads of an SSE body, in order.
func sseData(_ response: TestResponse) -> [String] {
    String(buffer: response.body).components(separatedBy: "\n\n").compactMap { event in
        event.split(separator: "\n").first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
    }
}

/// The `event:` names of an SSE body, in order.
func sseEvents(_ response: TestResponse) -> [String] {
    String(buffer: response.body).components(separatedBy: "\n\n").compactMap { event in
        event.split(separator: "\n").first { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
    }
}

func decode(_ line: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
}

/// A model that holds every generation until released, to fill the server's slots on purpose.
final class HeldModel: LanguageModel, Sendable {
    let info = ModelInfo(name: "held", contextLength: 4096)
    private let released = Mutex(false)
    private let started = Mutex(0)

    var startedCount: Int { started.withLock { $0 } }
    func release() { released.withLock { $0 = true } }

    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                started.withLock { $0 += 1 }
                continuation.yield(.text(TextDelta(sequence: 0, text: "Held", tokens: [1])))
                while !released.withLock({ $0 }) {
                    if Task.isCancelled { continuation.finish(throwing: CancellationError()); return }
                    try? await Task.sleep(for: .milliseconds(10))
                }
                continuation.yield(.finished(SequenceFinish(sequence: 0, reason: .stop, usage: Usage(promptTokens: 3, completionTokens: 1))))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// A model whose context is always too small.
struct TinyContextModel: LanguageModel {
    let info = ModelInfo(name: "tiny", contextLength: 8)
    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        AsyncThrowingStream { $0.finish(throwing: PonderError.contextFull(promptTokens: 40, contextLength: 8)) }
    }
}
