import Testing
@testable import PonderCore

/// The contract of `AsyncThrowingStream.producing`: normal finish, errors through the stream,
/// and a consumer that stops cancels the producer.
@Suite struct ProducingStreamTests {
    private struct Boom: Error, Equatable {}

    @Test func bodyThatReturnsFinishesTheStream() async throws {
        let stream = AsyncThrowingStream<Int, Error>.producing { continuation in
            for value in 1...3 { continuation.yield(value) }
        }
        var values: [Int] = []
        for try await value in stream { values.append(value) }
        #expect(values == [1, 2, 3])
    }

    @Test func errorThrownByTheBodyReachesTheConsumer() async throws {
        let stream = AsyncThrowingStream<Int, Error>.producing { continuation in
            continuation.yield(1)
            throw Boom()
        }
        var values: [Int] = []
        await #expect(throws: Boom.self) {
            for try await value in stream { values.append(value) }
        }
        #expect(values == [1])
    }

    @Test func cancellingTheConsumerCancelsTheProducer() async throws {
        let (cancelled, cancelledContinuation) = AsyncStream<Void>.makeStream()
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let stream = AsyncThrowingStream<Int, Error>.producing { continuation in
            continuation.yield(0)
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                cancelledContinuation.yield()
                throw error
            }
        }
        let consumer = Task {
            var count = 0
            for try await _ in stream {
                count += 1
                startedContinuation.yield()
            }
            return count
        }
        for await _ in started { break }
        consumer.cancel()
        for await _ in cancelled { break }
        // The consumer ends too (with the producer's cancellation or normally, never hanging).
        _ = try? await consumer.value
    }

    @Test func breakingOutOfTheLoopCancelsTheProducer() async throws {
        let (cancelled, cancelledContinuation) = AsyncStream<Void>.makeStream()
        do {
            let stream = AsyncThrowingStream<Int, Error>.producing { continuation in
                var next = 0
                while !Task.isCancelled {
                    continuation.yield(next)
                    next += 1
                    await Task.yield()
                }
                cancelledContinuation.yield()
            }
            for try await value in stream where value == 2 { break }
        }
        for await _ in cancelled { break }
    }

    @Test func bufferingPolicyIsApplied() async throws {
        let (produced, producedContinuation) = AsyncStream<Void>.makeStream()
        let stream = AsyncThrowingStream<Int, Error>.producing(bufferingPolicy: .bufferingNewest(1)) { continuation in
            for value in 1...5 { continuation.yield(value) }
            producedContinuation.yield()
        }
        for await _ in produced { break }
        var values: [Int] = []
        for try await value in stream { values.append(value) }
        #expect(values == [5])
    }
}
