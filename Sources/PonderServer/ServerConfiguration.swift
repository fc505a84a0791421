import PonderReasoning

/// How `ponder serve` listens and what it allows, validated at construction.
///
/// ```swift
/// let configuration = try ServerConfiguration(port: 8080, apiKey: "secret", queueLimit: 16)
/// ```
public struct ServerConfiguration: Sendable {
    /// Address to bind; loopback unless told otherwise.
    public let host: String
    /// TCP port (0 picks a free one).
    public let port: Int
    /// Bearer token every `/v1` route requires, or nil for none.
    public let apiKey: String?
    /// Name of the served model in `/v1/models` and responses.
    public let modelName: String
    /// Largest accepted request body, in bytes (1 KiB...64 MiB).
    public let maxBodyBytes: Int
    /// Largest `n` (choices per request, 1...16).
    public let maxChoices: Int
    /// Largest `max_completion_tokens` / `max_tokens` / `max_output_tokens` (1...65536).
    public let maxTokensPerRequest: Int
    /// Requests generating at once; more wait in the queue (1...256).
    public let maxConcurrentRequests: Int
    /// Requests allowed to wait beyond the running ones; past it, `429` (0...4096).
    public let queueLimit: Int
    /// Effort used when a request names none.
    public let defaultEffort: Effort
    /// Seconds in-flight requests may take to finish after SIGINT/SIGTERM before they are cancelled (0...600).
    public let shutdownGraceSeconds: Double
    /// Seconds a 429 tells the client to wait (`Retry-After`, 1...3600).
    public let retryAfterSeconds: Int
    /// The reasoning prompt file to use; nil (the default) picks the built-in one for the model's family.
    public var prompt: ReasoningPrompt?
    /// The tools API clients may name in `ponder.tools`, and the automatic default. The default,
    /// `EmptyToolCatalog`, has none; `ponder serve` hands in PonderTools' `BuiltInToolCatalog`,
    /// with a code runner only under `--allow-code-execution`.
    public var toolCatalog: any ToolCatalog
    /// A verifier fitted on the served model's chains (`ponder serve --verifier FILE`); nil: the
    /// model's own P("Yes") scores best-of-n and check-and-revise.
    public var trainedVerifier: TrainedVerifier?
    /// Seconds a new connection has to deliver its first complete request header (1...300).
    public let headerTimeoutSeconds: Double
    /// Seconds a keep-alive connection may wait between requests, and a body may take to arrive (1...3600).
    public let idleTimeoutSeconds: Double
    /// Connections open at once; one more is closed as soon as it is accepted (1...65536).
    public let maxConnections: Int
    /// Names a `Host` header may carry besides the bound address and, on a loopback bind, the
    /// loopback names (`localhost`, `127.0.0.1`, `[::1]`). On a loopback bind any other `Host` is
    /// refused (DNS rebinding); on another bind the list, when not empty, is enforced too.
    public let allowedHosts: [String]
    /// Origins (`scheme://host[:port]`) whose pages may call the API from a browser (CORS). Empty:
    /// only the server's own page; a request with any other `Origin` is refused.
    public let corsOrigins: [String]

    /// Whether `host` is a loopback address or name (only this machine can connect).
    public var bindsLoopback: Bool { Self.isLoopback(host) }

    /// Whether `host` names a loopback address.
    public static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        return name == "localhost" || name == "::1" || name == "[::1]" || name.hasPrefix("127.")
    }

    /// Creates a validated configuration.
    /// - Throws: `ServerConfigurationError` naming the value out of range.
    public init(host: String = "127.0.0.1", port: Int = 8080, apiKey: String? = nil, modelName: String = "ponder",
                maxBodyBytes: Int = 1 << 20, maxChoices: Int = 4, maxTokensPerRequest: Int = 8192,
                maxConcurrentRequests: Int = 8, queueLimit: Int = 32, defaultEffort: Effort = .low,
                shutdownGraceSeconds: Double = 10, retryAfterSeconds: Int = 2,
                headerTimeoutSeconds: Double = 10, idleTimeoutSeconds: Double = 60, maxConnections: Int = 256,
                allowedHosts: [String] = [], corsOrigins: [String] = [], allowNoKeyOnNetwork: Bool = false) throws {
        func check(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            if !ok { throw ServerConfigurationError(name: name, value: "\(value)", expected: expected) }
        }
        try check(!host.isEmpty, "host", "\"\"", "a host name or address")
        try check((0...65535).contains(port), "port", port, "an integer in 0...65535")
        try check(apiKey.map { !$0.isEmpty } ?? true, "api key", "\"\"", "a non-empty string")
        try check(!modelName.isEmpty, "model name", "\"\"", "a non-empty string")
        try check((1024...(64 << 20)).contains(maxBodyBytes), "max body bytes", maxBodyBytes, "an integer in 1024...67108864")
        try check((1...16).contains(maxChoices), "max n", maxChoices, "an integer in 1...16")
        try check((1...65536).contains(maxTokensPerRequest), "max tokens", maxTokensPerRequest, "an integer in 1...65536")
        try check((1...256).contains(maxConcurrentRequests), "max concurrent requests", maxConcurrentRequests, "an integer in 1...256")
        try check((0...4096).contains(queueLimit), "queue limit", queueLimit, "an integer in 0...4096")
        try check(shutdownGraceSeconds.isFinite && (0...600).contains(shutdownGraceSeconds), "shutdown grace", shutdownGraceSeconds,
                  "a number of seconds in 0...600")
        try check((1...3600).contains(retryAfterSeconds), "retry after", retryAfterSeconds, "an integer in 1...3600")
        try check(headerTimeoutSeconds.isFinite && (1...300).contains(headerTimeoutSeconds), "header timeout", headerTimeoutSeconds,
                  "a number of seconds in 1...300")
        try check(idleTimeoutSeconds.isFinite && (1...3600).contains(idleTimeoutSeconds), "idle timeout", idleTimeoutSeconds,
                  "a number of seconds in 1...3600")
        try check((1...65536).contains(maxConnections), "max connections", maxConnections, "an integer in 1...65536")
        for name in allowedHosts {
            try check(!name.isEmpty && !name.contains(where: { $0.isWhitespace || $0 == "/" }), "allowed host", "\"\(name)\"",
                      "a host name or address, optionally with :port")
        }
        for origin in corsOrigins {
            try check(origin.hasPrefix("http://") || origin.hasPrefix("https://"), "CORS origin", "\"\(origin)\"",
                      "an origin such as https://app.example.com")
        }
        if !Self.isLoopback(host), apiKey == nil, !allowNoKeyOnNetwork {
            throw ServerConfigurationError(
                name: "host", value: host,
                expected: "an API key (--api-key or PONDER_API_KEY) when binding beyond loopback, or --insecure-no-key to serve the network without one")
        }
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.modelName = modelName
        self.maxBodyBytes = maxBodyBytes
        self.maxChoices = maxChoices
        self.maxTokensPerRequest = maxTokensPerRequest
        self.maxConcurrentRequests = maxConcurrentRequests
        self.queueLimit = queueLimit
        self.defaultEffort = defaultEffort
        self.shutdownGraceSeconds = shutdownGraceSeconds
        self.retryAfterSeconds = retryAfterSeconds
        self.prompt = nil
        self.toolCatalog = EmptyToolCatalog()
        self.trainedVerifier = nil
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
        self.allowedHosts = allowedHosts.map { $0.lowercased() }
        self.corsOrigins = corsOrigins.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }
}

/// A server setting out of range; one line for a person.
public struct ServerConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The setting.
    public var name: String
    /// Its value.
    public var value: String
    /// What is allowed.
    public var expected: String

    public var description: String { "invalid \(name) \(value): expected \(expected)" }
}
