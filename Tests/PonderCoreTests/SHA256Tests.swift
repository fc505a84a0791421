import Foundation
import Testing
@testable import PonderCore

/// FIPS 180-4 / NIST CAVP test vectors, split updates, and the digest cache.
@Suite struct SHA256Tests {
    static let vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ]

    @Test func standardVectors() {
        for (message, digest) in Self.vectors {
            #expect(SHA256.hex(SHA256.hash(Data(message.utf8))) == digest, "\"\(message)\"")
        }
    }

    @Test func aMillionAs() {
        let digest = SHA256.hex(SHA256.hash(Data(repeating: UInt8(ascii: "a"), count: 1_000_000)))
        #expect(digest == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func updatesInAnyPiecesGiveTheSameDigest() {
        let data = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let whole = SHA256.hash(data)
        for piece in [1, 3, 55, 56, 63, 64, 65, 127, 999] {
            var hasher = SHA256()
            var offset = 0
            while offset < data.count {
                let end = min(offset + piece, data.count)
                hasher.update(data.subdata(in: offset..<end))
                offset = end
            }
            #expect(hasher.finalize() == whole, "pieces of \(piece)")
        }
    }

    @Test func aFileHashesLikeItsBytes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("m.gguf")
        let bytes = Data((0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 >> 3) })
        try bytes.write(to: file)
        #expect(try SHA256.hexDigest(ofFileAt: file.path) == SHA256.hex(SHA256.hash(bytes)))
        #expect(throws: ModelIdentityError.self) { _ = try SHA256.hexDigest(ofFileAt: directory.appendingPathComponent("nope").path) }
    }

    @Test func theCacheAnswersForAnUnchangedFileAndRehashesAChangedOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("digests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = ModelDigestCache(file: directory.appendingPathComponent("cache/model-digests.json"))
        let model = directory.appendingPathComponent("m.gguf")
        try Data("weights one".utf8).write(to: model)
        let first = try cache.digest(ofFileAt: model.path)
        #expect(first == SHA256.hex(SHA256.hash(Data("weights one".utf8))))

        // Plant a different digest for the same (path, size, time): a cache hit returns it unread.
        let text = try String(contentsOf: cache.file, encoding: .utf8)
        try text.replacingOccurrences(of: first, with: String(repeating: "0", count: 64)).write(to: cache.file, atomically: true, encoding: .utf8)
        #expect(try cache.digest(ofFileAt: model.path) == String(repeating: "0", count: 64))

        // Other bytes of the same size, another time: hashed again.
        try Data("weights two".utf8).write(to: model)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: model.path)
        #expect(try cache.digest(ofFileAt: model.path) == SHA256.hex(SHA256.hash(Data("weights two".utf8))))
    }

    @Test func identitiesTellFilesOfOneNameApartByContent() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ident-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = ModelDigestCache(file: directory.appendingPathComponent("digests.json"))
        var identities: [ModelIdentity] = []
        for (folder, bytes) in [("a", "one"), ("b", "two"), ("c", "one")] {
            let url = directory.appendingPathComponent("\(folder)/m.gguf")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes.utf8).write(to: url)
            identities.append(try ModelIdentity.file(at: url.path, cache: cache))
        }
        #expect(identities.map(\.name) == ["m.gguf", "m.gguf", "m.gguf"])
        #expect(identities[0].digest != identities[1].digest)
        #expect(identities[0] == identities[2])
        #expect(identities[0].digest.hasPrefix("sha256:") && identities[0].digest.count == 71)
        #expect(ModelIdentity.remote(model: "qwen", baseURL: "http://h/v1") != ModelIdentity.remote(model: "qwen", baseURL: "http://g/v1"))
    }
}
