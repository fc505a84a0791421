import Foundation
import Hummingbird

/// Turns every error into OpenAI's error shape and records each request in the metrics.
struct APIErrorMiddleware: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let route = Self.route(of: request)
        let timed = request.method == .post
        do {
            let response = try await next(request, context)
            metrics.recordRequest(route: route, status: response.status.code, seconds: timed ? started.duration(to: .now).seconds : nil)
            return response
        } catch {
            let apiError: APIError
            if let error = error as? HTTPError {
                apiError = error.status == .notFound
                    ? APIError(status: .notFound, message: "Unknown route \(request.method) \(request.uri.path).", code: "unknown_route")
                    : APIError(status: error.status, message: error.body ?? error.status.reasonPhrase)
            } else {
                apiError = APIError.from(error)
            }
            metrics.recordRequest(route: route, status: apiError.status.code, seconds: timed ? started.duration(to: .now).seconds : nil)
            return apiError.response
        }
    }

    /// A bounded label: known routes by name, everything else as `other`.
    static func route(of request: Request) -> String {
        let known = ["/v1/chat/completions", "/v1/responses", "/v1/models", "/health", "/metrics", "/"]
        return known.contains(request.uri.path) ? request.uri.path : "other"
    }
}

/// Requires `Authorization: Bearer <key>` on `/v1` routes, compared in constant time.
struct APIKeyMiddleware: RouterMiddleware {
    let key: String

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1") else { return try await next(request, context) }
        let header = request.headers[.authorization] ?? ""
        let prefix = "Bearer "
        let given = header.hasPrefix(prefix) ? String(header.dropFirst(prefix.count)) : ""
        guard Self.constantTimeEqual(Array(given.utf8), Array(key.utf8)) else {
            let message = header.isEmpty
                ? "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY'."
                : "Incorrect API key provided."
            throw APIError(status: .unauthorized, message: message, type: "invalid_request_error", code: "invalid_api_key",
                           headers: [.wwwAuthenticate: "Bearer"])
        }
        return try await next(request, context)
    }

    /// Compares without an early exit, so the time taken does not reveal how much of the key matched.
    static func constantTimeEqual(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: given.count ^ expected.count)
        for index in 0..<expected.count {
            let byte = index < given.count ? given[index] : 0
            difference |= byte ^ expected[index]
        }
        return difference == 0
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
