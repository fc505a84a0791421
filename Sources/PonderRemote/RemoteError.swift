/// What can go wrong talking to an OpenAI-compatible upstream. Each case reads as one line a person
/// can act on.
public enum RemoteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The base URL is not an absolute http(s) URL.
    case invalidBaseURL(String, reason: String)
    /// A configuration value is out of range.
    case invalidConfiguration(String)
    /// No connection could be made (refused, DNS failure, timeout).
    case unreachable(url: String, detail: String)
    /// The upstream refused the credentials (HTTP 401 or 403).
    case unauthorized(status: Int, message: String)
    /// The upstream answered with an error status; `message` is its own explanation.
    case upstream(status: Int, message: String)
    /// The upstream reported an error inside an event stream.
    case streamError(String)
    /// The response did not follow the OpenAI streaming format.
    case malformedStream(String)
    /// The named model is not served by the upstream.
    case modelNotFound(requested: String, available: [String])
    /// The upstream cannot do what the request needs.
    case unsupported(feature: String, flavor: UpstreamFlavor)

    public var description: String {
        switch self {
        case let .invalidBaseURL(url, reason):
            return "invalid base URL '\(url)': \(reason); use e.g. http://127.0.0.1:8080/v1"
        case let .invalidConfiguration(message):
            return message
        case let .unreachable(url, detail):
            return "cannot reach the upstream at \(url) (\(detail)): check --base-url and that the server is running"
        case let .unauthorized(status, message):
            return "the upstream refused the API key (HTTP \(status): \(message)): check --backend-api-key or PONDER_BACKEND_API_KEY"
        case let .upstream(status, message):
            return "the upstream answered HTTP \(status): \(message)"
        case let .streamError(message):
            return "the upstream reported an error while streaming: \(message)"
        case let .malformedStream(detail):
            return "the upstream's response is not a valid OpenAI stream: \(detail)"
        case let .modelNotFound(requested, available):
            let list = available.prefix(5).joined(separator: ", ") + (available.count > 5 ? ", …" : "")
            return "the upstream does not serve model '\(requested)'; it serves: \(list.isEmpty ? "(none)" : list)"
        case let .unsupported(feature, flavor):
            return "the upstream (\(flavor.rawValue)) does not support \(feature)"
        }
    }

    /// Collapses a possibly multi-line text into one short line.
    static func oneLine(_ text: String, limit: Int = 300) -> String {
        let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }
}
