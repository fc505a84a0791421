import Foundation
import Hummingbird
import Logging
import NIOCore
import PonderCore
import Synchronization

/// Everything the routes share: the model, the limits, the queue and the metrics.
final class ServingCore: Sendable {
    let configuration: ServerConfiguration
    let model: any LanguageModel
    let gate: AdmissionGate
    let metrics: ServerMetrics
    let logger: Logger
    /// Names a request's `model` may use.
    let modelNames: Set<String>
    /// Open connections against `maxConnections`.
    let connections: ConnectionCounter

    init(configuration: ServerConfiguration, model: any LanguageModel, metrics: ServerMetrics, logger: Logger) {
        self.configuration = configuration
        self.model = model
        self.metrics = metrics
        self.logger = logger
        self.gate = AdmissionGate(maxRunning: configuration.maxConcurrentRequests, queueLimit: configuration.queueLimit)
        self.modelNames = [configuration.modelName, model.info.name]
        self.connections = ConnectionCounter(limit: configuration.maxConnections)
    }

    /// The request body, refused with `413` past the limit.
    func body(of request: Request) async throws(APIError) -> Data {
        do {
            let buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
            return Data(buffer: buffer)
        } catch is NIOTooManyBytesError {
            throw APIError(status: .contentTooLarge, message: "The request body is larger than the server's limit of \(configuration.maxBodyBytes) bytes.",
                           code: "request_too_large")
        } catch {
            throw APIError.invalid("The request body could not be read.", param: nil, code: "invalid_body")
        }
    }

    /// Waits for a generation slot; `429` when the queue is full, `503` while shutting down. A
    /// client that disconnects while it waits leaves the queue at once.
    func admit(channel: (any Channel)? = nil) async throws(APIError) -> SlotLease {
        do {
            let gate = self.gate
            try await cancellable(channel: channel, tracked: false) { try await gate.enter() }
        } catch AdmissionGate.Refusal.full {
            throw APIError(status: .tooManyRequests,
                           message: "The server is busy: \(configuration.maxConcurrentRequests) requests are running and \(configuration.queueLimit) waiting. Retry after \(configuration.retryAfterSeconds) s.",
                           type: "rate_limit_error", code: "rate_limit_exceeded",
                           headers: [.retryAfter: "\(configuration.retryAfterSeconds)"])
        } catch AdmissionGate.Refusal.shuttingDown {
            throw Self.shuttingDown
        } catch {
            throw APIError(status: .serviceUnavailable, message: "The request was cancelled while it waited.", type: "server_error", code: "cancelled")
        }
        return SlotLease(gate: gate)
    }

    static let shuttingDown = APIError(status: .serviceUnavailable, message: "The server is shutting down.", type: "server_error", code: "shutting_down")

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

    /// Runs `work` in its own task, cancelled when the client's connection closes or the shutdown
    /// deadline passes; a disconnect is counted in the metrics.
    func cancellable<T: Sendable>(channel: (any Channel)?, tracked: Bool = true, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await work() }
        let watch = DisconnectWatch(task: { task.cancel() }, metrics: metrics)
        watch.watch(channel)
        let token = tracked ? gate.track { task.cancel() } : nil
        defer {
            if let token { gate.untrack(token) }
            watch.finish()
        }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }
}

/// Cancels a request's work when its connection closes before the work is done. It registers
/// with the connection's `ConnectionWatcher` and removes itself when the work ends, so nothing
/// of a finished request stays attached to a keep-alive connection.
final class DisconnectWatch: Sendable {
    private struct State {
        var done = false
        var registration: (watcher: ConnectionWatcher, token: UInt64)?
    }

    private let cancel: @Sendable () -> Void
    private let metrics: ServerMetrics
    private let state = Mutex(State())

    init(task cancel: @escaping @Sendable () -> Void, metrics: ServerMetrics) {
        self.cancel = cancel
        self.metrics = metrics
    }

    func watch(_ channel: (any Channel)?) {
        guard let channel else { return }
        channel.pipeline.handler(type: ConnectionWatcher.self).whenSuccess { [self] watcher in
            guard let token = watcher.onClose({ [self] in clientLeft() }) else { return }
            let stale = state.withLock { state -> Bool in
                if state.done { return true }
                state.registration = (watcher, token)
                return false
            }
            if stale { watcher.remove(token) }
        }
    }

    private func clientLeft() {
        let running = state.withLock { state -> Bool in
            defer { state.done = true }
            return !state.done
        }
        if running {
            metrics.recordDisconnect()
            cancel()
        }
    }

    /// The work ended on its own: a later close is not a disconnect, and the callback goes.
    func finish() {
        let registration = state.withLock { state -> (watcher: ConnectionWatcher, token: UInt64)? in
            state.done = true
            defer { state.registration = nil }
            return state.registration
        }
        if let registration { registration.watcher.remove(registration.token) }
    }
}

/// A generation slot; released once, at the latest when the lease is dropped.
final class SlotLease: Sendable {
    private let gate: AdmissionGate
    private let released = Mutex(false)

    init(gate: AdmissionGate) { self.gate = gate }

    func release() {
        let first = released.withLock { done -> Bool in defer { done = true }; return !done }
        if first { gate.leave() }
    }

    deinit { release() }
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
