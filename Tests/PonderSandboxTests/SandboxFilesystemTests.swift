import Foundation
import Testing
@testable import PonderSandbox
#if canImport(Glibc)
import Glibc
#endif

/// What a model-written program can see and touch, for every isolating level that works here:
/// only read-only `/usr`, a fresh `/proc`, a minimal `/dev` and its own scratch; nothing of the
/// host, and nothing written to it.
@Suite("Sandbox filesystem isolation", .serialized)
struct SandboxFilesystemTests {
    static let levels = SandboxTestSupport.isolatingLevels

    @Test("at least one isolating level works on this machine")
    func someLevelIsolates() {
        #expect(!Self.levels.isEmpty, "bubblewrap: \(Sandbox.unavailableReason(.bubblewrap) ?? "ok"); namespaces: \(Sandbox.unavailableReason(.namespaces) ?? "ok")")
    }

    @Test("/ holds only /usr's links, /dev, /proc, /sandbox, /tmp and /usr; /dev only the five devices", arguments: levels)
    func rootListing(isolation: SandboxIsolation) async throws {
        let result = try await SandboxTestSupport.run("import json, os\nprint(json.dumps(sorted(os.listdir('/'))))\nprint(json.dumps(sorted(os.listdir('/dev'))))", isolation)
        #expect(result.termination == .exited(0), "\(result.stderr)")
        let expected = (SandboxCommand.topLevel.map(\.name) + ["dev", "proc", "sandbox", "tmp", "usr"]).sorted()
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(expected)", "\(result.stdout)")
        #expect(lines.dropFirst().first == "\(["fd", "full", "null", "random", "stderr", "stdin", "stdout", "urandom", "zero"])")
    }

    @Test("/etc/passwd, /home, /root, the checkout and the host's /tmp are not there", arguments: levels)
    func hostPathsInvisible(isolation: SandboxIsolation) async throws {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
        let hostFile = FileManager.default.temporaryDirectory.path + "/ponder-host-visible-\(UUID().uuidString)"
        try Data("host".utf8).write(to: URL(fileURLWithPath: hostFile))
        defer { try? FileManager.default.removeItem(atPath: hostFile) }
        let paths = ["/etc/passwd", "/etc", "/home", "/root", checkout, "/work", hostFile]
        let source = """
        import os
        for path in \(paths):
            print(path, os.path.exists(path))
        print('tmp', sorted(os.listdir('/tmp')))
        """
        let result = try await SandboxTestSupport.run(source, isolation)
        #expect(result.termination == .exited(0), "\(result.stderr)")
        for path in paths { #expect(result.stdout.contains("\(path) False\n"), "\(path) is visible: \(result.stdout)") }
        #expect(result.stdout.contains("tmp []\n"), "\(result.stdout)")
    }

    @Test("a file written to /tmp inside stays inside: nothing appears on the host", arguments: levels)
    func tmpWriteLeavesNothing(isolation: SandboxIsolation) async throws {
        let name = "pp-out-\(UUID().uuidString)"
        let source = "open('/tmp/\(name)', 'w').write('x')\nopen('/sandbox/\(name)', 'w').write('x')\nprint('wrote')"
        let result = try await SandboxTestSupport.run(source, isolation)
        #expect(result.stdout == "wrote\n", "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/" + name))
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.temporaryDirectory.path + "/" + name))
        #expect(Self.filesNamed(name, under: FileManager.default.temporaryDirectory.path).isEmpty)
    }

    @Test("no /proc/*/environ or cmdline holds a secret from the test's environment", arguments: levels)
    func procEnvironSecret(isolation: SandboxIsolation) async throws {
        let secret = "ponder-env-secret-\(UUID().uuidString)"
        setenv("PONDER_TEST_SECRET", secret, 1)
        defer { unsetenv("PONDER_TEST_SECRET") }
        let source = """
        import glob
        seen, unreadable = 0, 0
        for path in glob.glob('/proc/*/environ') + glob.glob('/proc/*/cmdline'):
            try:
                data = open(path, 'rb').read()
                seen += 1
                if b'\(secret)' in data:
                    print('LEAK', path)
            except OSError:
                unreadable += 1
        print('read', seen, 'unreadable', unreadable)
        """
        let result = try await SandboxTestSupport.run(source, isolation)
        #expect(result.termination == .exited(0), "\(result.stderr)")
        #expect(!result.stdout.contains("LEAK"), "\(result.stdout)")
        #expect(result.stdout.contains("read "), "\(result.stdout)")
    }

    @Test("the test's Unix sockets, on the host's /tmp and abstract, cannot be reached", arguments: levels)
    func unixSockets(isolation: SandboxIsolation) async throws {
        let path = FileManager.default.temporaryDirectory.path + "/ponder-sock-\(UUID().uuidString.prefix(8))"
        let abstract = "ponder-abstract-\(UUID().uuidString)"
        let fileSocket = try UnixListener(path: path)
        defer { fileSocket.close(); unlink(path) }
        chmod(path, 0o777)   // anyone on the host may connect: only the isolation keeps the program out
        let abstractSocket = try UnixListener(abstract: abstract)
        defer { abstractSocket.close() }
        let source = """
        import socket
        for address in ['\(path)', '\\0\(abstract)']:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(address)
                print('connected', repr(address))
            except OSError as error:
                print('blocked', type(error).__name__)
        """
        let result = try await SandboxTestSupport.run(source, isolation)
        #expect(result.termination == .exited(0), "\(result.stderr)")
        #expect(!result.stdout.contains("connected"), "\(result.stdout)")
        #expect(result.stdout.components(separatedBy: "blocked").count == 3, "\(result.stdout)")
    }

    @Test("/dev/tty cannot be opened: no controlling terminal", arguments: levels)
    func noTerminal(isolation: SandboxIsolation) async throws {
        let source = "import os\ntry:\n    os.open('/dev/tty', os.O_RDWR)\n    print('opened')\nexcept OSError as error:\n    print('failed', error.errno)"
        let result = try await SandboxTestSupport.run(source, isolation)
        #expect(result.stdout.hasPrefix("failed"), "\(result.stdout) \(result.stderr)")
    }

    @Test("640 MiB written to the scratch directory stops at its size, and nothing lands on the host", arguments: levels)
    func scratchIsLimited(isolation: SandboxIsolation) async throws {
        let marker = "pp-fill-\(UUID().uuidString)"
        let source = """
        import errno, os
        chunk = b'x' * (1 << 20)
        written, failure = 0, 'none'
        try:
            for n in range(80):
                with open('/sandbox/\(marker)-%d' % n, 'wb') as f:
                    for _ in range(8):
                        f.write(chunk)
                        f.flush()
                        written += 1
        except OSError as error:
            failure = errno.errorcode.get(error.errno, str(error.errno))
        print(failure, written)
        """
        let limits = try SandboxLimits(wallSeconds: 20, scratchBytes: 64 << 20)
        let result = try await SandboxTestSupport.run(source, isolation, limits: limits)
        #expect(result.termination == .exited(0), "\(result.stderr)")
        let fields = result.stdout.split(whereSeparator: \.isWhitespace)
        #expect(fields.first == "ENOSPC" || fields.first == "EFBIG", "\(result.stdout)")
        #expect((fields.last.flatMap { Int($0) } ?? 999) <= 64, "\(result.stdout)")
        #expect(Self.filesNamed(marker, under: FileManager.default.temporaryDirectory.path).isEmpty)
    }

    @Test("the job's files are copied into the scratch directory and writable there")
    func jobFilesAreCopied() async throws {
        for isolation in Self.levels {
            let job = SandboxJob(program: .python("import os\nopen('data.txt', 'a').write('more')\nprint(open('data.txt').read(), os.getcwd(), os.getuid())"),
                                 files: ["data.txt": "some "])
            let result = try await Sandbox(isolation: isolation).run(job)
            #expect(result.stdout == "some more /sandbox 65534\n", "\(isolation): \(result.stdout) \(result.stderr)")
        }
    }

    /// Files under `directory` (three levels deep) whose name contains `marker`.
    static func filesNamed(_ marker: String, under directory: String) -> [String] {
        var found: [String] = []
        func walk(_ path: String, depth: Int) {
            guard depth <= 3, let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names {
                if name.contains(marker) { found.append(path + "/" + name) }
                walk(path + "/" + name, depth: depth + 1)
            }
        }
        walk(directory, depth: 0)
        return found
    }
}

/// A listening Unix stream socket, at a path or in the abstract namespace.
struct UnixListener {
    let fd: Int32

    init(path: String) throws { try self.init(address: Array(path.utf8)) }
    init(abstract name: String) throws { try self.init(address: [0] + Array(name.utf8)) }

    private init(address bytes: [UInt8]) throws {
        let socketFD = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(socketFD, $0, length) == 0 && listen(socketFD, 4) == 0 }
        }
        guard bound else { Glibc.close(socketFD); throw POSIXError(.EADDRINUSE) }
        fd = socketFD
    }

    func close() { Glibc.close(fd) }
}
