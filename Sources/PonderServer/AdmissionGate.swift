import Synchronization

/// The bounded queue in front of the model: up to `maxRunning` requests generate at once, up to
/// `queueLimit` more wait in arrival order, and past that a request is refused at once (`429`).
/// On shutdown it refuses new requests and can cancel every admitted one.
final class AdmissionGate: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var running = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
        var shuttingDown = false
        var cancellers: [UInt64: @Sendable () -> Void] = [:]
    }

    /// Why a request was not admitted.
    enum Refusal: Error {
        case full
        case shuttingDown
    }

    private let maxRunning: Int
    private let queueLimit: Int
    private let state = Mutex(State())

    init(maxRunning: Int, queueLimit: Int) {
        self.maxRunning = maxRunning
        self.queueLimit = queueLimit
    }

    /// Requests generating now.
    var running: Int { state.withLock { $0.running } }
    /// Requests waiting.
    var waiting: Int { state.withLock { $0.waiters.count } }
    /// Whether shutdown has begun.
    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Waits for a slot. - Throws: `Refusal` when the queue is full or the server is shutting down;
    /// `CancellationError` when the waiting task is cancelled.
    ///
    /// Deciding to wait and joining the queue happen under one lock, so a `leave()` in between
    /// cannot free a slot that nobody then takes.
    func enter() async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Bool, any Error> in
                    if state.shuttingDown { return .failure(Refusal.shuttingDown) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.running < maxRunning { state.running += 1; return .success(true) }
                    guard state.waiters.count < queueLimit else { return .failure(Refusal.full) }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .success(false)
                }
                switch outcome {
                case .success(true): continuation.resume()
                case .success(false): break
                case .failure(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Frees a slot: the longest-waiting request takes it.
    func leave() {
        let next = state.withLock { state -> Waiter? in
            if state.waiters.isEmpty { state.running -= 1; return nil }
            return state.waiters.removeFirst()
        }
        next?.continuation.resume()
    }

    /// Registers a way to cancel an admitted request at the shutdown deadline; returns its token.
    func track(_ cancel: @escaping @Sendable () -> Void) -> UInt64 {
        state.withLock { state in
            state.nextID += 1
            state.cancellers[state.nextID] = cancel
            return state.nextID
        }
    }

    func untrack(_ token: UInt64) {
        _ = state.withLock { $0.cancellers.removeValue(forKey: token) }
    }

    /// Refuses new requests and the waiting ones.
    func beginShutdown() {
        let waiters = state.withLock { state -> [Waiter] in
            state.shuttingDown = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(throwing: Refusal.shuttingDown) }
    }

    /// Cancels every admitted request (the shutdown deadline passed).
    func cancelAll() {
        let cancellers = state.withLock { Array($0.cancellers.values) }
        for cancel in cancellers { cancel() }
    }
}
