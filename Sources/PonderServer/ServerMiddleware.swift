import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware: gives every request an id (`x-request-id`, echoed when the client
/// sent a well-formed one), turns every error into OpenAI's error shape, hides the details of
/// internal errors behind a generic `500` that names the id (the details go to the log), records
/// the request in the metrics, and writes one access-log line when the response has been sent:
/// method, route, status, duration, tokens.
struct RequestLogMiddleware: RouterMiddleware {
    let metrics: ServerMetrics
    let logger: Logger

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let route = Self.route(of: request)
        let timed = request.method == .post
        var context = context
        let id = Self.requestID(from: request)
        context.requestID = id
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.errorResponse(for: error, request: request, requestID: id, logger: logger).response
        }
        response.headers[.requestID] = id
        metrics.recordRequest(route: route, status: response.status.code, seconds: timed ? started.duration(to: .now).seconds : nil)
        let logger = self.logger
        let stats = context.stats
        let status = response.status.code
        let method = request.method.rawValue
        let log: @Sendable () -> Void = {
            let seconds = started.duration(to: .now).seconds
            logger.notice("\(method) \(route) \(status) \(String(format: "%.3f", seconds))s tokens=\(stats.summary) id=\(id)")
        }
        if response.body.contentLength == nil {
            // Streamed: the line is written when the stream ends, with the stream's duration and tokens.
            let body = response.body
            response.body = ResponseBody { writer in
                defer { log() }
                try await body.write(writer)
            }
        } else {
            log()
        }
        return response
    }

    /// The error a client sees. Typed errors keep their message; anything else (and every `5xx`
    /// that is not a deliberate one) is logged in full and answered with a generic message.
    static func errorResponse(for error: any Error, request: Request, requestID: String, logger: Logger) -> APIError {
        if let error = error as? HTTPError {
            if error.status == .notFound {
                return APIError(status: .notFound, message: "Unknown route \(request.method) \(request.uri.path).", code: "unknown_route")
            }
            return APIError(status: error.status, message: error.body ?? error.status.reasonPhrase)
        }
        return clientError(from: error, requestID: requestID, logger: logger)
    }

    /// Maps any error to what a client may see; an internal error's text stays in the log.
    static func clientError(from error: any Error, requestID: String, logger: Logger) -> APIError {
        let apiError = APIError.from(error)
        guard apiError.status == .internalServerError else { return apiError }
        logger.error("request \(requestID) failed: \(String(describing: error))")
        return APIError(status: .internalServerError,
                        message: "The server had an error while processing your request (request id \(requestID)).",
                        type: "server_error", code: "internal_error")
    }

    /// The client's `x-request-id` when it is 1 to 128 of `A-Z a-z 0-9 - _ . :`, else a new one.
    static func requestID(from request: Request) -> String {
        if let given = request.headers[.requestID], (1...128).contains(given.utf8.count),
           given.utf8.allSatisfy({ byte in
               (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || [45, 95, 46, 58].contains(byte)
           }) {
            return given
        }
        return "req_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
    }

    /// A bounded label: known routes by name, everything else as `other`.
    static func route(of request: Request) -> String {
        let known = ["/v1/chat/completions", "/v1/responses", "/v1/models", "/health", "/metrics", "/"]
        let path = APIKeyMiddleware.normalized(request.uri.path) ?? "other"
        return known.contains(path) ? path : "other"
    }
}

extension HTTPField.Name {
    /// `x-request-id`.
    static let requestID = HTTPField.Name("x-request-id")!
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
