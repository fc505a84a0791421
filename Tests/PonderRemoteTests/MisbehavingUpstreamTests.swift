import Foundation
import PonderCore
import Testing
@testable import PonderRemote

/// A real HTTP server (Python's http.server on a loopback port) that answers like a broken
/// upstream, to check each failure becomes its one-line `RemoteError`.
@Suite(.serialized) struct MisbehavingUpstreamTests {
    static let script = #"""
    import json, sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args): pass
        def send(self, status, kind, body):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        def do_GET(self):
            models = [{"id": name, "owned_by": "test"} for name in ("garbage", "boom", "cut", "json")]
            self.send(200, "application/json", json.dumps({"object": "list", "data": models}))
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            model = body["model"]
            if model == "garbage":
                self.send(200, "text/event-stream", "data: {not json\n\n")
            elif model == "boom":
                self.send(500, "application/json", json.dumps({"error": {"message": "the GPU caught fire", "type": "server_error"}}))
            elif model == "cut":
                chunk = {"choices": [{"index": 0, "delta": {"content": "Hel"}, "finish_reason": None}]}
                self.send(200, "text/event-stream", "data: " + json.dumps(chunk) + "\n\n")
            else:
                self.send(200, "application/json", json.dumps({"choices": []}))
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
    """#

    private func withUpstream(_ body: (String) async throws -> Void) async throws {
        let port = try LlamaServerProcess.freePort()
        let process = try LlamaServerProcess.spawn(["python3", "-c", Self.script, "\(port)"], limit: 120)
        defer { LlamaServerProcess.kill(process) }
        let base = "http://127.0.0.1:\(port)/v1"
        for _ in 0..<100 {
            if (try? await RemoteModel.connect(try RemoteConfiguration(baseURL: base, model: "json"))) != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await body(base)
    }

    private func failure(_ base: String, model: String) async throws -> RemoteError? {
        let remote = try await RemoteModel.connect(try RemoteConfiguration(baseURL: base, model: model))
        do {
            _ = try await remote.respond(to: [.user("hi")])
            return nil
        } catch let error as RemoteError {
            return error
        }
    }

    @Test func eachMisbehaviourIsItsOwnOneLineError() async throws {
        try await withUpstream { base in
            let garbage = try await failure(base, model: "garbage")
            guard case .malformedStream(let detail)? = garbage else { Issue.record("got \(String(describing: garbage))"); return }
            #expect(detail.contains("not a JSON chunk"))

            #expect(try await failure(base, model: "boom") == .upstream(status: 500, message: "the GPU caught fire"))

            let cut = try await failure(base, model: "cut")
            guard case .malformedStream(let cutDetail)? = cut else { Issue.record("got \(String(describing: cut))"); return }
            #expect(cutDetail.contains("ended before"))

            let json = try await failure(base, model: "json")
            guard case .malformedStream(let jsonDetail)? = json else { Issue.record("got \(String(describing: json))"); return }
            #expect(jsonDetail.contains("text/event-stream"))

            await #expect(throws: RemoteError.modelNotFound(requested: "nope", available: ["garbage", "boom", "cut", "json"])) {
                _ = try await RemoteModel.connect(try RemoteConfiguration(baseURL: base, model: "nope"))
            }
            for error in [garbage, cut, json].compactMap({ $0 }) { #expect(!error.description.contains("\n")) }
        }
    }
}
