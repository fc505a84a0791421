import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import PonderCore
import ServiceLifecycle

/// `ponder serve`: an OpenAI-compatible reasoning API and a web chat over any `LanguageModel`.
///
/// ```swift
/// let configuration = try ServerConfiguration(port: 8080)
/// let app = PonderServer.buildApplication(configuration: configuration, model: engine)
/// try await PonderServer.run(app)           // until SIGINT/SIGTERM
/// ```
public enum PonderServer {
    /// The application: routes, middleware and the shared queue, ready to run or to test.
    /// - Parameters:
    ///   - metrics: counters and the engine-load reader for `/metrics`.
    ///   - onRunning: called with the bound port once the server listens.
    public static func buildApplication(
        configuration: ServerConfiguration, model: any LanguageModel, metrics: ServerMetrics = ServerMetrics(),
        logger: Logger = Logger(label: "ponder.server"), onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServerApplication {
        let core = ServingCore(configuration: configuration, model: model, metrics: metrics, logger: logger)
        let router = Router(context: ServerContext.self)
        router.add(middleware: RequestLogMiddleware(metrics: metrics, logger: logger))
        if HostCheckMiddleware.applies(to: configuration) { router.add(middleware: HostCheckMiddleware(configuration: configuration)) }
        router.add(middleware: OriginMiddleware(origins: Set(configuration.corsOrigins)))
        if let key = configuration.apiKey { router.add(middleware: APIKeyMiddleware(key: key)) }
        router.add(middleware: JSONContentTypeMiddleware())
        let chat = ChatCompletionsController(core: core)
        let responses = ResponsesController(core: core)
        let info = InfoController(core: core)
        router.post("/v1/chat/completions", use: chat.handle)
        router.post("/v1/responses", use: responses.handle)
        router.get("/v1/models", use: info.models)
        router.get("/health", use: info.health)
        router.get("/metrics", use: info.metrics)
        router.get("/", use: info.page)
        if !configuration.corsOrigins.isEmpty {
            // Preflights of allowed origins are answered by OriginMiddleware; these routes let them reach it.
            for path in ["/v1/chat/completions", "/v1/responses", "/v1/models"] {
                router.on(RouterPath(path), method: .options) { _, _ in Response(status: .noContent) }
            }
        }
        let connections = core.connections
        let headerTimeout = configuration.headerTimeoutSeconds
        let http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuard(counter: connections, headerTimeoutSeconds: headerTimeout), ConnectionWatcher()],
            idleTimeout: .milliseconds(Int64(configuration.idleTimeoutSeconds * 1000)))
        let application = Application(
            router: router,
            server: .http1(configuration: http),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "ponder"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        return ServerApplication(application: application, core: core)
    }

    /// Runs until SIGINT or SIGTERM, then shuts down gracefully: new requests get `503`, in-flight
    /// ones may finish within the configured grace period and are cancelled after it; returns normally.
    public static func run(_ server: ServerApplication) async throws {
        let watcher = ShutdownWatcher(gate: server.core.gate, grace: server.core.configuration.shutdownGraceSeconds,
                                      logger: server.core.logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: server.application), .init(service: watcher, successTerminationBehavior: .ignore)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: server.core.logger))
        try await group.run()
    }
}

/// A built server: the Hummingbird application and its shared state.
public struct ServerApplication: Sendable {
    /// The Hummingbird application (run it, or test it with HummingbirdTesting).
    public let application: Application<RouterResponder<ServerContext>>
    let core: ServingCore
}

/// Starts the shutdown of in-flight work when a signal arrives: it is signalled before the HTTP
/// server (services stop in reverse order), refuses new requests at once, and cancels whatever
/// still runs when the grace period ends.
struct ShutdownWatcher: Service {
    let gate: AdmissionGate
    let grace: Double
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("shutting down: refusing new requests, \(gate.running) in flight")
        gate.beginShutdown()
        let gate = self.gate
        let grace = self.grace
        Task.detached {
            try? await Task.sleep(for: .seconds(grace))
            gate.cancelAll()
        }
    }
}
