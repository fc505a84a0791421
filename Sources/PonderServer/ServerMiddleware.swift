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

/// Requires `Authorization: Bearer <key>` on every route but the public ones (the web page,
/// `/health`, `/metrics`), compared in constant time. Deny by default: the public set is matched
/// on the path as the router reads it (percent-decoded, empty segments dropped), so `//v1/models`
/// or `/%761/models` cannot slip past the check and still reach a route.
struct APIKeyMiddleware: RouterMiddleware {
    let key: String
    static let publicPaths: Set<String> = ["/", "/health", "/metrics"]

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        if let path = Self.normalized(request.uri.path), Self.publicPaths.contains(path) { return try await next(request, context) }
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

    /// The path with percent-escapes decoded and empty segments dropped (`//v1//models` →
    /// `/v1/models`), or nil when it does not decode.
    static func normalized(_ path: String) -> String? {
        guard let decoded = path.removingPercentEncoding else { return nil }
        return "/" + decoded.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// Compares without an early exit, so the time taken does not reveal how much of the key
    /// matched. Any difference in length fails (it is not folded into a byte).
    static func constantTimeEqual(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = given.count == expected.count ? 0 : 1
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
