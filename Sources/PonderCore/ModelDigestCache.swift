import Foundation
import Logging

/// SHA-256 digests of model files remembered by (path, size, modification time) in a small JSON
/// file, so a multi-gigabyte GGUF is hashed once, not on every run. A file rewritten with the same
/// size inside the file system's timestamp granularity would keep its old digest; nothing Ponder
/// writes does that (tuned models are renamed into place, which changes the time).
///
/// Several processes may share the file: each write is atomic (a temporary file renamed into place)
/// and merges what is on disk, so the worst case is a digest computed twice. Entries whose file is
/// gone or changed are dropped on write. A cache that cannot be written is only logged.
///
/// ```swift
/// let digest = try ModelDigestCache.standard.digest(ofFileAt: "/models/m.gguf")   // 64 hex digits
/// ```
public struct ModelDigestCache: Sendable {
    /// The JSON file holding the entries.
    public let file: URL
    private let logger = Logger(label: "ponder.cache")

    /// A cache kept in `file`.
    public init(file: URL) {
        self.file = file
    }

    /// The cache in Ponder's cache directory (`$PONDER_CACHE/model-digests.json`).
    public static var standard: ModelDigestCache {
        ModelDigestCache(file: URL(fileURLWithPath: PonderCache.directory).appendingPathComponent("model-digests.json"))
    }

    /// One remembered digest.
    struct Entry: Codable, Hashable {
        var path: String
        var size: Int64
        /// Seconds since 1970.
        var modified: Double
        var sha256: String
    }

    /// The file's SHA-256 (64 lower-case hex digits), from the cache when its size and
    /// modification time are unchanged, else computed and remembered.
    /// - Throws: `ModelIdentityError.unreadable` when the file is missing or unreadable.
    public func digest(ofFileAt path: String) throws(ModelIdentityError) -> String {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        guard let stamp = Self.stamp(of: resolved) else {
            throw .unreadable(path: path, reason: "no such file")
        }
        if let hit = load()[resolved], hit.size == stamp.size, hit.modified == stamp.modified {
            return hit.sha256
        }
        let digest = try SHA256.hexDigest(ofFileAt: resolved)
        // The file may have changed while it was read: remember the digest only if it did not.
        if let after = Self.stamp(of: resolved), after == stamp {
            remember(Entry(path: resolved, size: stamp.size, modified: stamp.modified, sha256: digest))
        }
        return digest
    }

    private struct Stamp: Equatable {
        var size: Int64
        var modified: Double
    }

    private static func stamp(of path: String) -> Stamp? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              (attributes[.type] as? FileAttributeType) == .typeRegular,
              let size = (attributes[.size] as? NSNumber)?.int64Value,
              let modified = attributes[.modificationDate] as? Date else { return nil }
        return Stamp(size: size, modified: modified.timeIntervalSince1970)
    }

    private func load() -> [String: Entry] {
        guard let data = try? Data(contentsOf: file),
              let entries = try? JSONDecoder().decode([Entry].self, from: data) else { return [:] }
        return Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { _, last in last })
    }

    private func remember(_ entry: Entry) {
        var entries = load()
        entries[entry.path] = entry
        entries = entries.filter { path, entry in
            Self.stamp(of: path).map { $0 == Stamp(size: entry.size, modified: entry.modified) } ?? false
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let data = try encoder.encode(entries.values.sorted { $0.path < $1.path })
            try data.write(to: file, options: .atomic)
        } catch {
            logger.warning("cannot update the model digest cache \(file.path): \(error.localizedDescription)")
        }
    }
}
