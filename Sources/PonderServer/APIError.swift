import Foundation
import Hummingbird
import PonderCore
import PonderReasoning

/// An error in OpenAI's shape: an HTTP status plus `{"error": {"message", "type", "param", "code"}}`.
public struct APIError: Error, Sendable, Hashable, HTTPResponseError, CustomStringConvertible {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// One line for a person.
    public var message: String
    /// OpenAI's error type, e.g. `invalid_request_error`.
    public var type: String
    /// The request parameter at fault, if any.
    public var param: String?
    /// A machine-readable code, e.g. `context_length_exceeded`.
    public var code: String?
    /// Extra response headers (e.g. `Retry-After`).
    public var extraHeaders: HTTPFields

    /// Creates an error.
    public init(status: HTTPResponse.Status, message: String, type: String = "invalid_request_error",
                param: String? = nil, code: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.extraHeaders = headers
    }

    public var description: String { message }

    /// A `400` for a bad parameter.
    public static func invalid(_ message: String, param: String?, code: String? = "invalid_value") -> APIError {
        APIError(status: .badRequest, message: message, param: param, code: code)
    }

    /// The JSON body.
    public var body: Data {
        let object: [String: Any] = ["error": [
            "message": message, "type": type, "param": param as Any? ?? NSNull(), "code": code as Any? ?? NSNull(),
        ]]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    /// The error as a `Response`.
    public var response: Response {
        var fields = extraHeaders
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response { response }

    /// Maps any error from the model or the reasoning layer to what the client should see.
    public static func from(_ error: any Error) -> APIError {
        if let error = error as? APIError { return error }
        if let error = error as? PonderError {
            switch error {
            case .contextFull:
                return APIError(status: .badRequest, message: error.description, param: "messages", code: "context_length_exceeded")
            case let .invalidParameter(name, _, _):
                return .invalid(error.description, param: name)
            case .emptyMessages:
                return .invalid(error.description, param: "messages", code: "empty_array")
            case .tooManySequences:
                return .invalid(error.description, param: "ponder.samples")
            case .backend:
                return APIError(status: .internalServerError, message: error.description, type: "server_error", code: "backend_error")
            }
        }
        if let error = error as? ReasoningError {
            switch error {
            case .emptyQuestion: return .invalid("the conversation has no non-empty user message", param: "messages")
            case let .invalidSetting(name, _, _): return .invalid(error.description, param: name)
            case .unreadablePolicy: return APIError(status: .internalServerError, message: error.description, type: "server_error")
            }
        }
        if error is CancellationError {
            return APIError(status: .serviceUnavailable, message: "the request was cancelled (the server is shutting down)",
                            type: "server_error", code: "cancelled")
        }
        return APIError(status: .internalServerError, message: "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "internal error",
                        type: "server_error")
    }
}
