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

    /// Creates a validated configuration.
    /// - Throws: `ServerConfigurationError` naming the value out of range.
    public init(host: String = "127.0.0.1", port: Int = 8080, apiKey: String? = nil, modelName: String = "ponder",
                maxBodyBytes: Int = 1 << 20, maxChoices: Int = 4, maxTokensPerRequest: Int = 8192,
                maxConcurrentRequests: Int = 8, queueLimit: Int = 32, defaultEffort: Effort = .low,
                shutdownGraceSeconds: Double = 10, retryAfterSeconds: Int = 2) throws {
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
