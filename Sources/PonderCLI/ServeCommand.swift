import ArgumentParser
import Foundation
import Logging
import PonderCore
import PonderReasoning
import PonderServer
import PonderTools

/// `ponder serve`: an OpenAI-compatible reasoning API and a web chat (docs/SERVER.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve an OpenAI-compatible reasoning API and a web chat.",
        discussion: "Routes, the \"ponder\" extension object and the limits are documented in docs/SERVER.md.")

    @Option(name: .long, help: "Address to bind (default: loopback only).")
    var host = "127.0.0.1"

    @Option(name: .long, help: "TCP port (0 picks a free one; the bound port is printed).")
    var port = 8080

    @Option(name: .customLong("api-key"), help: "Require 'Authorization: Bearer KEY' on /v1 routes (default: $PONDER_API_KEY).")
    var apiKey: String?

    @Option(name: .customLong("served-model-name"), help: "Model name in /v1/models and replies.")
    var servedModelName = "ponder"

    @Option(name: .long, help: "Effort when a request names none: none, low, medium, high or auto.")
    var effort: Effort = .low

    @Option(name: .customLong("max-body-bytes"), help: "Largest request body in bytes.")
    var maxBodyBytes = 1 << 20

    @Option(name: .customLong("max-n"), help: "Largest n (choices per request).")
    var maxN = 4

    @Option(name: .customLong("max-request-tokens"), help: "Largest token budget of one request (max_completion_tokens and the like).")
    var maxRequestTokens = 8192

    @Option(name: .customLong("max-concurrent"), help: "Requests generating at once; more wait in the queue.")
    var maxConcurrent = 8

    @Option(name: .customLong("queue-limit"), help: "Requests allowed to wait; past it, 429 with Retry-After.")
    var queueLimit = 32

    @Option(name: .customLong("shutdown-grace"), help: "Seconds in-flight requests may finish after SIGINT/SIGTERM.")
    var shutdownGrace = 10.0

    @Flag(name: .customLong("allow-code-execution"),
          help: "Let API clients use the python tool (\"ponder\": {\"tools\": [\"python\"]}); their programs run in the sandbox.")
    var allowCodeExecution = false

    @Flag(name: .customLong("insecure-no-key"), help: "Serve beyond loopback without an API key (anyone who reaches the port may use it).")
    var insecureNoKey = false

    @Option(name: .customLong("allowed-host"), help: "A host name clients may use besides the bound address (repeatable; refuses other Host headers).")
    var allowedHosts: [String] = []

    @Option(name: .customLong("cors-origin"), help: "An origin whose web pages may call the API (repeatable; default none).")
    var corsOrigins: [String] = []

    @Option(name: .customLong("header-timeout"), help: "Seconds a new connection has to send its first request header.")
    var headerTimeout = 10.0

    @Option(name: .customLong("idle-timeout"), help: "Seconds a keep-alive connection may sit idle.")
    var idleTimeout = 60.0

    @Option(name: .customLong("max-connections"), help: "Connections open at once; more are closed on arrival.")
    var maxConnections = 256

    @Option(name: .long, help: "A verifier file fitted on the served model's chains (ponder train verifier), for best-of-n, confident-vote and check-and-revise.")
    var verifier: String?

    @OptionGroup(title: "Code sandbox (with --allow-code-execution)") var sandbox: SandboxOptions

    @OptionGroup(title: "Model") var modelOptions: ModelOptions

    /// The validated server configuration.
    func serverConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerConfiguration {
        let key = apiKey ?? environment["PONDER_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        var configuration = try ServerConfiguration(host: host, port: port, apiKey: key, modelName: servedModelName, maxBodyBytes: maxBodyBytes,
                                       maxChoices: maxN, maxTokensPerRequest: maxRequestTokens, maxConcurrentRequests: maxConcurrent,
                                       queueLimit: queueLimit, defaultEffort: effort, shutdownGraceSeconds: shutdownGrace,
                                       headerTimeoutSeconds: headerTimeout, idleTimeoutSeconds: idleTimeout, maxConnections: maxConnections,
                                       allowedHosts: allowedHosts, corsOrigins: corsOrigins, allowNoKeyOnNetwork: insecureNoKey)
        configuration.prompt = try modelOptions.reasoningPrompt()
        return configuration
    }

    mutating func validate() throws {
        do { _ = try serverConfiguration() } catch { throw ValidationError("\(error)") }
    }

    func run() async throws {
        var configuration = try serverConfiguration()
        var codeRunner: SandboxCodeRunner?
        if allowCodeExecution {
            // Validated now: a machine that cannot isolate code refuses to start, in one line.
            let sandbox = try self.sandbox.makeSandbox(limits: SandboxCodeRunner.defaultLimits)
            codeRunner = SandboxCodeRunner(sandbox: sandbox)
            FileHandle.standardError.write(Data("ponder serve: code execution allowed for API clients; \(sandbox.report)\n".utf8))
        }
        configuration.toolCatalog = BuiltInToolCatalog(codeRunner: codeRunner)
        let engine = try await modelOptions.makeLanguageModel()
        configuration.trainedVerifier = try modelOptions.trainedVerifier(path: verifier, for: engine)
        let metrics = ServerMetrics()
        var logger = Logger(label: "ponder.serve")
        logger.logLevel = .notice   // one access-log line per request, warnings and errors
        let host = configuration.host
        let server = PonderServer.buildApplication(configuration: configuration, model: engine, metrics: metrics, logger: logger) { port in
            FileHandle.standardError.write(Data("ponder serve: \(engine.info.name) at http://\(host):\(port)/ (Ctrl-C stops)\n".utf8))
        }
        try await PonderServer.run(server)
        FileHandle.standardError.write(Data("ponder serve: stopped\n".utf8))
    }
}
