import Hummingbird
import NIOCore
import Synchronization

/// Admission: a request waits for a generation slot, or is refused when the queue is full or the
/// server is shutting down.
extension ServingCore {
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

