import Hummingbird
import NIOCore

/// The request context of `ponder serve`: Hummingbird's core storage plus the connection, so a
/// request can notice its client going away and cancel its generation.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's connection.
    let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
