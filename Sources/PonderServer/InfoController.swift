import Foundation
import Hummingbird
import PonderCore

/// `GET /v1/models`, `/health`, `/metrics` and the web chat at `/`.
struct InfoController: Sendable {
    let core: ServingCore
    let created = Int(Date().timeIntervalSince1970)

    func models(_ request: Request, context: ServerContext) async throws -> Response {
        let info = core.model.info
        let model: JSONValue = [
            "id": .string(core.configuration.modelName), "object": "model", "created": .int(created), "owned_by": "ponder",
            "context_length": .int(info.contextLength), "backend_model": .string(info.name),
        ]
        return json(["object": "list", "data": [model]])
    }

    func health(_ request: Request, context: ServerContext) async throws -> Response {
        if core.gate.isShuttingDown {
            return json(["status": "shutting_down"], status: .serviceUnavailable)
        }
        return json(["status": "ok", "model": .string(core.configuration.modelName)])
    }

    func metrics(_ request: Request, context: ServerContext) async throws -> Response {
        let text = core.metrics.render(running: core.gate.running, waiting: core.gate.waiting, connections: core.connections,
                                          modelLoad: core.model.load)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func page(_ request: Request, context: ServerContext) async throws -> Response {
        guard let page = WebPage.html else {
            throw APIError(status: .internalServerError, message: "The web page is missing from the build.", type: "server_error")
        }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    private func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: value.text)))
    }
}

/// The self-contained chat page (`Web/index.html`), read once from the module's resources.
enum WebPage {
    static let html: String? = {
        guard let url = Bundle.module.url(forResource: "index", withExtension: "html", subdirectory: "Web") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }()
}
