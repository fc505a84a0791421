import Foundation
import Hummingbird
import NIOCore
import PonderCore

/// The choice stream: every choice of a request, merged, and the streamed (SSE) reply over it.
extension ServingCore {
    /// Merged events of every choice of a request, tagged with the choice index. Ending the
    /// iteration, or calling `cancel`, cancels every choice (and frees its sequences in the engine).
    func events(of request: ServingRequest) -> ChoiceEvents {
        let (stream, continuation) = AsyncThrowingStream<(Int, ChoiceEvent), Error>.makeStream()
        let runner = ChoiceRunner(model: model, metrics: metrics, prompt: configuration.prompt)
        let task = Task {
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<request.n {
                        group.addTask {
                            for try await event in runner.run(request, choice: index) { continuation.yield((index, event)) }
                        }
                    }
                    try await group.waitForAll()
                }
                try Task.checkCancellation()
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return ChoiceEvents(stream: stream, cancel: { task.cancel() })
    }

    /// A streamed (SSE) reply to `request`. It first reads until the model has started, so a prompt
    /// that does not fit still gets a plain HTTP error; then the body runs `write` with the events
    /// read so far and a cursor over the rest, cancels the generation if the client leaves or the
    /// server shuts down, and releases the slot and finishes the body at the end. `write` reports
    /// its own errors in-band (the headers are gone by then).
    func streamingResponse(
        of request: ServingRequest, lease: SlotLease, channel: (any Channel)?,
        write: @escaping @Sendable (_ writer: inout any ResponseBodyWriter, _ opening: [(Int, ChoiceEvent)], _ cursor: EventCursor) async throws -> Void
    ) async throws -> Response {
        let events = events(of: request)
        let cursor = EventCursor(events)
        let opening: [(Int, ChoiceEvent)]
        do {
            opening = try await cancellable(channel: channel) { try await cursor.readUntilStarted() }
        } catch {
            events.cancel()
            lease.release()
            throw APIError.from(error)
        }
        let body = ResponseBody { [self] writer in
            let watch = DisconnectWatch(task: events.cancel, metrics: metrics)
            watch.watch(channel)
            let token = gate.track(events.cancel)
            defer {
                watch.finish()
                gate.untrack(token)
                events.cancel()
                lease.release()
            }
            try await write(&writer, opening, cursor)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}

/// The merged event stream of a request's choices and a way to cancel them all.
struct ChoiceEvents: Sendable {
    let stream: AsyncThrowingStream<(Int, ChoiceEvent), Error>
    let cancel: @Sendable () -> Void
}

/// Lets a streamed response keep iterating what the handler started iterating (the handler reads
/// until the model has started, so a prompt that does not fit still gets a plain `400`).
final class EventCursor: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<(Int, ChoiceEvent), Error>.AsyncIterator

    init(_ events: ChoiceEvents) { iterator = events.stream.makeAsyncIterator() }

    /// The next event; only one task iterates at a time (the handler, then the body writer).
    func next() async throws -> (Int, ChoiceEvent)? { try await iterator.next() }

    /// Reads until the model has started or the stream ends; returns what was read.
    func readUntilStarted() async throws -> [(Int, ChoiceEvent)] {
        var events: [(Int, ChoiceEvent)] = []
        while let event = try await next() {
            events.append(event)
            if case .started = event.1 { break }
        }
        return events
    }
}
