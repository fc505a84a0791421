import NIOCore
import Synchronization

/// Notices a client going away while its request is still being answered. Hummingbird allows
/// remote half-closure, so a client's close first arrives as `inputClosed` (the channel itself
/// stays open until the response ends); this handler turns that, or the channel going inactive,
/// into callbacks that cancel the request's generation.
final class ConnectionWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = ByteBuffer   // unused: every event is passed on unchanged

    private struct State {
        var closed = false
        var callbacks: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())

    /// Calls `callback` once the client has closed its side (at once if it already has).
    func onClose(_ callback: @escaping @Sendable () -> Void) {
        let closed = state.withLock { state -> Bool in
            if !state.closed { state.callbacks.append(callback) }
            return state.closed
        }
        if closed { callback() }
    }

    private func markClosed() {
        let callbacks = state.withLock { state -> [@Sendable () -> Void] in
            state.closed = true
            defer { state.callbacks.removeAll() }
            return state.callbacks
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
