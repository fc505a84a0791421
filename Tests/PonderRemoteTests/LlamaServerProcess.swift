import AsyncHTTPClient
import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif
@testable import PonderRemote

/// A real `llama-server` (built by `scripts/bootstrap --tools`) on a free loopback port with the
/// bootstrapped model, started by a test and stopped when the test ends.
final class LlamaServerProcess: @unchecked Sendable {
    let port: Int
    private let process: Process
    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    static var cache: String {
        let environment = ProcessInfo.processInfo.environment
        if let cache = environment["PONDER_CACHE"], !cache.isEmpty { return cache }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/ponder").path
    }

    static var binary: String {
        let cache = Self.cache
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
        for version in versions.sorted().reversed() where version.hasPrefix("llama-") {
            let path = "\(cache)/\(version)/build-tools/bin/llama-server"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return "llama-server"
    }

    static var modelPath: String {
        if let model = ProcessInfo.processInfo.environment["PONDER_MODEL"], !model.isEmpty { return model }
        return cache + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    /// Starts the server and waits until `/health` says it is ready (at most `timeout` seconds).
    init(slots: Int = 4, apiKey: String? = nil, timeout: Double = 120) async throws {
        port = try Self.freePort()
        var arguments = [Self.binary, "-m", Self.modelPath, "--host", "127.0.0.1", "--port", "\(port)",
                         "-np", "\(slots)", "-c", "\(slots * 1024)", "-t", "2", "--metrics", "--no-webui"]
        if let apiKey { arguments += ["--api-key", apiKey] }
        process = try Self.spawn(arguments, limit: 600)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try await healthy() { return }
            guard process.isRunning else { throw RemoteError.invalidConfiguration("llama-server exited with \(process.terminationStatus)") }
            guard Date() < deadline else { stop(); throw RemoteError.invalidConfiguration("llama-server did not become ready") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private func healthy() async throws -> Bool {
        struct Health: Decodable { var status: String }
        let client = UpstreamClient(configuration: try RemoteConfiguration(baseURL: baseURL), logger: .init(label: "test"))
        do {
            return try await client.getJSON(Health.self, from: "http://127.0.0.1:\(port)/health").status == "ok"
        } catch {
            return false
        }
    }

    /// Reads one Prometheus gauge from `/metrics`.
    func metric(_ name: String) async throws -> Double? {
        let response = try await UpstreamClient.http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"), timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }

    func stop() { Self.kill(process) }

    /// Starts `arguments` under `timeout -s KILL limit`, so the child dies even if the test process
    /// is killed. The test runner's children inherit a blocked SIGTERM, hence SIGKILL throughout.
    static func spawn(_ arguments: [String], limit: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["timeout", "-s", "KILL", "\(limit)"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Kills a process started by `spawn` with its child (`timeout` leads its own process group).
    static func kill(_ process: Process) {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        if pid > 0 { _ = Glibc.kill(-pid, SIGKILL); _ = Glibc.kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    /// A port nobody listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RemoteError.invalidConfiguration("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw RemoteError.invalidConfiguration("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
