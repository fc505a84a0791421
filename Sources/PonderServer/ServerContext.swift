import Hummingbird
import NIOCore
import Synchronization

/// The request context of `ponder serve`: Hummingbird's core storage plus the connection (so a
/// request can notice its client going away and cancel its generation), the request's id, and
/// the counts its access-log line reports.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's connection.
    let channel: (any Channel)?
    /// The request's id (`x-request-id`), set by the outermost middleware.
    var requestID = ""
    /// Tokens the request used, filled in by the route that answered it.
    let stats = RequestStats()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

/// What one request used, for its access-log line; written by the route, read once it ends.
final class RequestStats: Sendable {
    private let tokens = Mutex<(prompt: Int, completion: Int)?>(nil)

    /// Records the usage the reply reported.
    func record(promptTokens: Int, completionTokens: Int) {
        tokens.withLock { $0 = (promptTokens, completionTokens) }
    }

    /// `prompt+completion` tokens, or `-` when the request generated nothing.
    var summary: String {
        tokens.withLock { $0.map { "\($0.prompt)+\($0.completion)" } ?? "-" }
    }
}
