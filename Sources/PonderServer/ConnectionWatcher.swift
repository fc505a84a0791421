import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Notices a client going away while its request is still being answered. Hummingbird allows
/// remote half-closure, so a client's close first arrives as `inputClosed` (the channel itself
/// stays open until the response ends); this handler turns that, or the channel going inactive,
/// into callbacks that cancel the request's generation. A request removes its callback when it
/// ends, so a keep-alive connection that carries many requests holds none of theirs.
final class ConnectionWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = ByteBuffer   // unused: every event is passed on unchanged

    private struct State {
        var closed = false
        var nextToken: UInt64 = 0
        var callbacks: [UInt64: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    /// Calls `callback` once the client has closed its side (at once if it already has, and then
    /// returns nil); the token removes the callback (`remove(_:)`).
    func onClose(_ callback: @escaping @Sendable () -> Void) -> UInt64? {
        let token = state.withLock { state -> UInt64? in
            if state.closed { return nil }
            state.nextToken += 1
            state.callbacks[state.nextToken] = callback
            return state.nextToken
        }
        if token == nil { callback() }
        return token
    }

    /// Forgets a callback (its request ended).
    func remove(_ token: UInt64) {
        _ = state.withLock { $0.callbacks.removeValue(forKey: token) }
    }

    /// Callbacks registered now (for tests of the per-request cleanup).
    var callbackCount: Int { state.withLock { $0.callbacks.count } }

    private func markClosed() {
        let callbacks = state.withLock { state -> [@Sendable () -> Void] in
            state.closed = true
            defer { state.callbacks.removeAll() }
            return Array(state.callbacks.values)
        }
        for callback in callbacks { callback() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { markClosed() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        markClosed()
        context.fireChannelInactive()
    }
}

/// How many connections are open, against the server's cap.
final class ConnectionCounter: Sendable {
    private let limit: Int
    private let state = Mutex((open: 0, refused: 0, timedOut: 0))

    init(limit: Int) { self.limit = limit }

    /// Counts a new connection; false (and counted as refused) when the cap is reached.
    func admit() -> Bool {
        state.withLock { state in
            guard state.open < limit else { state.refused += 1; return false }
            state.open += 1
            return true
        }
    }

    func close() { state.withLock { $0.open -= 1 } }
    func timedOut() { state.withLock { $0.timedOut += 1 } }

    /// Connections open now.
    var openCount: Int { state.withLock { $0.open } }
    /// Connections closed on arrival because the cap was reached.
    var refused: Int { state.withLock { $0.refused } }
    /// Connections closed because their first request header did not arrive in time.
    var timedOutCount: Int { state.withLock { $0.timedOut } }
}

/// Closes a connection that would exceed the cap on open connections as soon as it is accepted,
/// and one whose first request header has not fully arrived within the header timeout (half a
/// header and silence, the slow-loris pattern). Between requests of a keep-alive connection the
/// idle timeout applies instead (Hummingbird's own state handler).
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let counter: ConnectionCounter
    private let headerTimeout: TimeAmount
    private var started = false
    private var admitted = false
    private var timer: Scheduled<Void>?

    init(counter: ConnectionCounter, headerTimeoutSeconds: Double) {
        self.counter = counter
        self.headerTimeout = .milliseconds(Int64(headerTimeoutSeconds * 1000))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        guard counter.admit() else {
            context.close(promise: nil)
            return
        }
        admitted = true
        let counter = self.counter
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: headerTimeout) {
            counter.timedOut()
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { stop() }

    private func stop() {
        timer?.cancel()
        timer = nil
        if admitted {
            admitted = false
            counter.close()
        }
    }
}
