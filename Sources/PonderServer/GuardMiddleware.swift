import Foundation
import Hummingbird
import PonderCore

/// Refuses a request whose `Host` the server does not answer to. On a loopback bind that is any
/// name but the bound address, the loopback names and `allowedHosts`: a page on another site
/// whose name was rebound to 127.0.0.1 (DNS rebinding) still sends its own name and is refused.
/// On another bind the list, when given, is enforced the same way.
struct HostCheckMiddleware: RouterMiddleware {
    let allowed: Set<String>

    init(configuration: ServerConfiguration) {
        var names = Set(configuration.allowedHosts)
        names.insert(configuration.host.lowercased())
        if configuration.bindsLoopback { names.formUnion(["localhost", "127.0.0.1", "::1", "[::1]"]) }
        allowed = names
    }

    /// Whether this configuration checks `Host` at all.
    static func applies(to configuration: ServerConfiguration) -> Bool {
        configuration.bindsLoopback || !configuration.allowedHosts.isEmpty
    }

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard let host = request.hostHeader else { return try await next(request, context) }
        guard allowed.contains(Self.name(of: host)) || allowed.contains(host.lowercased()) else {
            throw APIError(status: .forbidden, message: "This server does not answer to the host name '\(host.prefix(100))'.",
                           code: "host_not_allowed")
        }
        return try await next(request, context)
    }

    /// The host name of a `Host` value without its port (`[::1]:80` → `[::1]`, `a:80` → `a`).
    static func name(of host: String) -> String {
        let value = host.lowercased()
        if value.hasPrefix("[") { return value.split(separator: "]").first.map { $0 + "]" } ?? value }
        return value.split(separator: ":", maxSplits: 1).first.map(String.init) ?? value
    }
}

/// Browsers: a request that carries an `Origin` must come from the server's own page or from an
/// origin the operator allowed (`--cors-origin`). Allowed origins get CORS headers and their
/// preflight (`OPTIONS`) answered; without any, no CORS header is ever sent.
struct OriginMiddleware: RouterMiddleware {
    let origins: Set<String>

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let allowed = origins.contains(origin)
        if !allowed {
            let own = request.hostHeader.map { ["http://\($0)", "https://\($0)"].contains(origin.lowercased()) } ?? false
            guard own else {
                throw APIError(status: .forbidden, message: "Requests from the origin '\(origin.prefix(100))' are not allowed (see --cors-origin).",
                               code: "origin_not_allowed")
            }
            return try await next(request, context)
        }
        var response: Response
        if request.method == .options {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "authorization, content-type, x-request-id"
            response.headers[.accessControlMaxAge] = "600"
        } else {
            response = try await next(request, context)
        }
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.vary] = "Origin"
        response.headers[.accessControlExposeHeaders] = "x-request-id"
        return response
    }
}

/// Requires `Authorization: Bearer <key>` (scheme case-insensitive) on every route but the public
/// ones (the web page, `/health`, `/metrics`). Deny by default: the public set is matched on the
/// path as the router reads it (percent-decoded, empty segments dropped), so `//v1/models` or
/// `/%761/models` cannot slip past the check and still reach a route. The key is compared as
/// SHA-256 digests in constant time, so neither its length nor its bytes leak through timing.
struct APIKeyMiddleware: RouterMiddleware {
    let digest: [UInt8]
    static let publicPaths: Set<String> = ["/", "/health", "/metrics"]

    init(key: String) { digest = SHA256.hash(Data(key.utf8)) }

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        if let path = Self.normalized(request.uri.path), Self.publicPaths.contains(path) { return try await next(request, context) }
        let header = request.headers[.authorization] ?? ""
        guard let given = Self.bearerToken(header), Self.constantTimeEqual(SHA256.hash(Data(given.utf8)), digest) else {
            let message = header.isEmpty
                ? "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY'."
                : "Incorrect API key provided."
            throw APIError(status: .unauthorized, message: message, type: "invalid_request_error", code: "invalid_api_key",
                           headers: [.wwwAuthenticate: "Bearer"])
        }
        return try await next(request, context)
    }

    /// The token of a `Bearer` credential (any letter case, spaces around it trimmed), or nil.
    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The path with percent-escapes decoded and empty segments dropped (`//v1//models` →
    /// `/v1/models`), or nil when it does not decode.
    static func normalized(_ path: String) -> String? {
        guard let decoded = path.removingPercentEncoding else { return nil }
        return "/" + decoded.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// Compares without an early exit. Any difference in length fails (it is not folded into a byte).
    static func constantTimeEqual(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = given.count == expected.count ? 0 : 1
        for index in 0..<expected.count {
            let byte = index < given.count ? given[index] : 0
            difference |= byte ^ expected[index]
        }
        return difference == 0
    }
}

/// The JSON routes take only `application/json` bodies (`415` otherwise). A browser cannot send
/// that type to another site without a CORS preflight, so a page elsewhere cannot post to the API.
struct JSONContentTypeMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        let type = (request.headers[.contentType] ?? "").split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard type == "application/json" else {
            throw APIError(status: .unsupportedMediaType,
                           message: "Send the request body as JSON with 'Content-Type: application/json'" + (type.isEmpty ? "." : ", not '\(type.prefix(100))'."),
                           code: "unsupported_media_type")
        }
        return try await next(request, context)
    }
}

extension Request {
    /// The `Host` the client sent (HTTP/1.1's `Host`, kept by HTTPTypes as the authority).
    var hostHeader: String? { head.authority }
}
