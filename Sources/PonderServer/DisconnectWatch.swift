import NIOCore
import Synchronization

/// Disconnect handling: work cancelled when the client's connection closes.
extension ServingCore {
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
