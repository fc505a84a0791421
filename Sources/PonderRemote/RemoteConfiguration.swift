import Foundation

/// Where and how to reach an OpenAI-compatible upstream, validated once at construction.
///
/// ```swift
/// let configuration = try RemoteConfiguration(baseURL: "http://127.0.0.1:8080/v1", model: "qwen3-8b")
/// let model = try await RemoteModel.connect(configuration)
/// ```
public struct RemoteConfiguration: Sendable, Hashable {
    /// The API root that `/models` and `/chat/completions` hang off, e.g. `http://127.0.0.1:8080/v1`.
    /// A URL with no path gets `/v1` appended; a trailing slash is dropped.
    public let baseURL: URL
    /// Sent as `Authorization: Bearer <key>` when set; never logged.
    public let apiKey: String?
    /// The upstream model id; nil picks the first model `/models` lists.
    public let model: String?
    /// The kind of server; nil detects it from `/models` (see `UpstreamFlavor.detect`).
    public let flavor: UpstreamFlavor?
    /// Longest time one upstream request (including its whole stream) may take, in seconds, `1...86400`.
    public let requestTimeout: Double

    /// Creates a validated configuration.
    /// - Throws: `RemoteError.invalidBaseURL` for a URL that is not absolute http(s) with a host,
    ///   `RemoteError.invalidConfiguration` for an empty key or model, or a request timeout out of range.
    public init(baseURL: String, apiKey: String? = nil, model: String? = nil, flavor: UpstreamFlavor? = nil,
                requestTimeout: Double = 600) throws {
        guard var components = URLComponents(string: baseURL) else {
            throw RemoteError.invalidBaseURL(baseURL, reason: "not a URL")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw RemoteError.invalidBaseURL(baseURL, reason: "the scheme must be http or https")
        }
        guard let host = components.host, !host.isEmpty else {
            throw RemoteError.invalidBaseURL(baseURL, reason: "no host")
        }
        guard components.query == nil, components.fragment == nil else {
            throw RemoteError.invalidBaseURL(baseURL, reason: "no query or fragment allowed")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw RemoteError.invalidBaseURL(baseURL, reason: "the port must be in 1...65535")
        }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        components.path = path.isEmpty ? "/v1" : path
        guard let url = components.url else { throw RemoteError.invalidBaseURL(baseURL, reason: "not a URL") }
        if let apiKey, apiKey.trimmingCharacters(in: .whitespaces).isEmpty {
            throw RemoteError.invalidConfiguration("the backend API key is empty")
        }
        if let model, model.trimmingCharacters(in: .whitespaces).isEmpty {
            throw RemoteError.invalidConfiguration("the upstream model name is empty")
        }
        guard requestTimeout.isFinite, (1...86400).contains(requestTimeout) else {
            throw RemoteError.invalidConfiguration("invalid request timeout \(requestTimeout): expected 1...86400 seconds")
        }
        self.baseURL = url
        self.apiKey = apiKey
        self.model = model
        self.flavor = flavor
        self.requestTimeout = requestTimeout
    }

    /// The URL of an endpoint below the API root, e.g. `endpoint("chat/completions")`.
    public func endpoint(_ path: String) -> String { baseURL.absoluteString + "/" + path }

    /// The server root (the base URL without a trailing `/v1`), where llama-server keeps `/props`.
    var serverRoot: String {
        let base = baseURL.absoluteString
        return base.hasSuffix("/v1") ? String(base.dropLast(3)) : base
    }
}
