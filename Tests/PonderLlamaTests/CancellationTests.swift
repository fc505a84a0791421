import Foundation
import PonderCore
@testable import PonderLlama
import Testing

@Suite(.serialized) struct CancellationTests {
    /// Its own engine, so that other suites' requests do not show up in its status.
    static let ownEngine = TestEngine.make(contextLength: 2048)
    let engine = CancellationTests.ownEngine

    /// A request that would run for thousands of tokens if nobody stopped it.
    func longRequest(count: Int = 1) throws -> GenerationRequest {
        try GenerationRequest(prompt: .text("Once upon a time"),
                              sampling: SamplingParameters(temperature: 1.0, seed: 5, maxTokens: 3000), count: count)
    }

    /// Reads ten events, then leaves the loop; the stream is dropped when this returns.
    func readTenEventsThenDrop() async throws -> GenerationJob? {
        let (stream, job) = engine.generate(try longRequest(count: 4), ignoreEndOfGeneration: true)
        var events = 0
        for try await _ in stream {
            events += 1
            if events == 10 { break }
        }
        return job
    }

    @Test func droppingTheStreamStopsAndFreesCells() async throws {
        let started = Date()
        let job = try await readTenEventsThenDrop()
        let dropped = Date()
        let status = await TestEngine.waitUntilIdle(engine)
        #expect(Date().timeIntervalSince(dropped) < 3.0)   // generous: other suites share the two cores
        #expect(status.activeSequences == 0)
        #expect(status.occupiedSlots == 0)
        #expect(job?.isCancelled == true)
    }

    @Test func cancellingTheConsumingTaskEndsPromptly() async throws {
        let request = try longRequest()
        let task = Task { try await engine.complete(request) }
        try await Task.sleep(for: .milliseconds(300))
        let cancelledAt = Date()
        task.cancel()
        let result = await task.result
        #expect(Date().timeIntervalSince(cancelledAt) < 3.0)
        #expect(throws: CancellationError.self) { try result.get() }
        let status = await TestEngine.waitUntilIdle(engine)
        #expect(status.activeSequences == 0 && status.occupiedSlots == 0)
    }

    @Test func otherRequestsContinueWhenOneIsCancelled() async throws {
        let survivor = Task {
            try await engine.complete(.chat([.user("Name three animals.")], sampling: SamplingParameters(maxTokens: 30)))
        }
        let doomed = Task { try await engine.complete(try longRequest(count: 2)) }
        try await Task.sleep(for: .milliseconds(200))
        doomed.cancel()
        let completions = try await survivor.value
        #expect(completions[0].finishReason == .stop || completions[0].finishReason == .length)
        #expect(completions[0].usage.completionTokens == completions[0].tokens.count)
        #expect(await TestEngine.waitUntilIdle(engine).occupiedSlots == 0)
    }
}
