import Foundation
import Testing
@testable import PonderSandbox
#if canImport(Glibc)
import Glibc
#endif

/// Attacks a model-written program might try. Each test asserts exactly what the isolation level
/// promises (`SandboxIsolation.protections`): blocked where it is claimed, and, where it is not,
/// that the report is honest about it.
@Suite("Sandbox isolation", .serialized)
struct SandboxIsolationTests {
    static let isolations = Sandbox.availableIsolations

    @Test("the environment is clean: a secret in the parent's environment is invisible", arguments: isolations)
    func environmentSecret(isolation: SandboxIsolation) async throws {
        let secret = "ponder-env-secret-\(UUID().uuidString)"
        setenv("PONDER_TEST_SECRET", secret, 1)
        defer { unsetenv("PONDER_TEST_SECRET") }
        let parent = getpid()
        let source = """
        import os
        print(sorted(os.environ))
        for path in ['/proc/self/environ', '/proc/\(parent)/environ', '/proc/1/environ']:
            try:
                print(open(path, 'rb').read())
            except Exception as error:
                print('unreadable', path, type(error).__name__)
        """
        let result = try await Sandbox(isolation: isolation).run(SandboxJob(program: .python(source)))
        #expect(result.termination == .exited(0), "\(result.stderr)")
        // bwrap adds PWD for its --chdir; nothing else may appear.
        let firstLine = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine == "['HOME', 'LANG', 'PATH']" || firstLine == "['HOME', 'LANG', 'PATH', 'PWD']", "\(firstLine)")
        #expect(!result.stdout.contains(secret))
    }

    @Test("a private file like ~/.ssh/id_rsa cannot be read", arguments: isolations)
    func secretFile(isolation: SandboxIsolation) async throws {
        let sandbox = try Sandbox(isolation: isolation)
        let directory = try SecretDirectory()
        defer { directory.remove() }
        let source = "try:\n    print(open('\(directory.secretPath)').read())\nexcept Exception as error:\n    print('blocked', type(error).__name__)\n"
        let result = try await sandbox.run(SandboxJob(program: .python(source)))
        let leaked = result.stdout.contains(directory.secret)
        let protected = !sandbox.protections.isDisjoint(with: [.filesystemIsolation, .unprivileged])
        // Running as root with no isolation, the file is readable: the report must not claim otherwise.
        #expect(leaked == !protected, "\(isolation): \(result.stdout)")
        if protected { #expect(result.stdout.hasPrefix("blocked")) }
    }

    @Test("writing outside its directory is impossible", arguments: isolations)
    func writeOutside(isolation: SandboxIsolation) async throws {
        let sandbox = try Sandbox(isolation: isolation)
        let directory = try SecretDirectory()
        defer { directory.remove() }
        let target = directory.path + "/pwned.txt"
        let source = """
        for path in ['\(target)', '/usr/pwned-\(UUID().uuidString)']:
            try:
                open(path, 'w').write('x')
                print('wrote', path)
            except Exception as error:
                print('blocked', type(error).__name__)
        open('inside.txt', 'w').write('fine')
        print(open('inside.txt').read())
        """
        let result = try await sandbox.run(SandboxJob(program: .python(source)))
        let written = FileManager.default.fileExists(atPath: target)
        let protected = !sandbox.protections.isDisjoint(with: [.filesystemIsolation, .unprivileged])
        #expect(written == !protected, "\(isolation): \(result.stdout)")
        #expect(result.stdout.hasSuffix("fine\n"), "its own directory is writable: \(result.stdout) \(result.stderr)")
    }

    @Test("a network socket fails, even to a listener on the host's loopback", arguments: isolations)
    func network(isolation: SandboxIsolation) async throws {
        let sandbox = try Sandbox(isolation: isolation)
        let listener = try LoopbackListener()
        defer { listener.close() }
        let source = """
        import socket
        for address in [('127.0.0.1', \(listener.port)), ('1.1.1.1', 53)]:
            try:
                socket.create_connection(address, timeout=2).close()
                print('connected', address[0])
            except OSError as error:
                print('blocked', address[0], type(error).__name__)
        """
        let result = try await sandbox.run(SandboxJob(program: .python(source)))
        #expect(result.termination == .exited(0), "\(result.stderr)")
        let reachedHost = result.stdout.contains("connected 127.0.0.1")
        if sandbox.protections.contains(.noNetwork) {
            #expect(!reachedHost)
            #expect(!result.stdout.contains("connected"), "\(result.stdout)")
        } else {
            #expect(reachedHost, "without a network namespace the loopback is reachable: \(result.stdout)")
        }
    }
}

/// A root-only directory holding a root-only file, like `~/.ssh` and its key.
struct SecretDirectory {
    let path: String
    let secretPath: String
    let secret = "ponder-file-secret-\(UUID().uuidString)"

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/ponder-secret-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        secretPath = path + "/id_rsa"
        try Data(secret.utf8).write(to: URL(fileURLWithPath: secretPath))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretPath)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A TCP listener on 127.0.0.1 and a free port, accepting nothing (the kernel completes handshakes).
struct LoopbackListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                Glibc.bind(socketFD, pointer, length) == 0 && listen(socketFD, 16) == 0 && getsockname(socketFD, pointer, &length) == 0
            }
        }
        guard bound else { Glibc.close(socketFD); throw POSIXError(.EADDRINUSE) }
        fd = socketFD
        port = UInt16(bigEndian: address.sin_port)
    }

    func close() { Glibc.close(fd) }
}
