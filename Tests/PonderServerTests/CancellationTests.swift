import Foundation
import PonderCore
@testable import PonderServer
import Synchronization
import Testing

/// Cancelling a request (client gone, shutdown deadline) reaches the model's stream.
@Suite struct CancellationTests {
    /// A model that streams one token every 10 ms until cancelled, and records how its streams ended.
    final class EndlessModel: LanguageModel, Sendable {
        let info = ModelInfo(name: "endless", contextLength: 4096)
        let live = Mutex(0)
        let cancelled = Mutex(0)

        func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
            let (stream, continuation) = AsyncThrowingStream<GenerationEvent, Error>.makeStream()
            live.withLock { $0 += request.count }
            let task = Task {
                while !Task.isCancelled {
                    for index in 0..<request.count {
                        continuation.yield(.text(TextDelta(sequence: index, text: " and", tokens: [1])))
                    }
                    try? await Task.sleep(for: .milliseconds(10))
                }
            }
            continuation.onTermination = { [self] termination in
                task.cancel()
                live.withLock { $0 -= request.count }
                if case .cancelled = termination { cancelled.withLock { $0 += 1 } }
            }
            return stream
        }
    }

    @Test(arguments: ["none", "low", "high"])
    func cancellingARequestEndsEveryModelStream(effort: String) async throws {
        let model = EndlessModel()
        let server = try makeServer(model: model)
        let body = Data(#"{"messages": [{"role": "user", "content": "What is 2 + 2?"}], "reasoning_effort": "\#(effort)", "stream": true}"#.utf8)
        let request = try ChatCompletionRequest.parse(body, configuration: server.core.configuration, modelNames: server.core.modelNames)
        let events = server.core.events(of: request)
        let cursor = EventCursor(events)
        _ = try await cursor.readUntilStarted()
        #expect(model.live.withLock { $0 } > 0)
        events.cancel()
        let deadline = ContinuousClock.now + .seconds(2)
        while model.live.withLock({ $0 }) > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(model.live.withLock { $0 } == 0)
        #expect(model.cancelled.withLock { $0 } >= 1)
    }
}
