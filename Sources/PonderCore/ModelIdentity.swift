import Foundation

/// What a model is by content, so results and training runs made with one model are never mixed
/// with another's: the SHA-256 of a GGUF file (two files of one name with other weights differ), or
/// for a remote model its upstream id at its base URL (the best a client can know).
///
/// ```swift
/// let local = try ModelIdentity.file(at: "/models/SmolLM2.gguf")
/// print(local)             // SmolLM2.gguf (sha256:5f2c0a1b9e3d)
/// let remote = ModelIdentity.remote(model: "qwen3-8b", baseURL: "http://127.0.0.1:8080/v1")
/// ```
public struct ModelIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The name people know the model by: its file name, or the upstream model id.
    public var name: String
    /// The content identity: `sha256:` and 64 hex digits for a file, `remote:<model id>@<base URL>`
    /// for an upstream model.
    public var digest: String

    /// Creates an identity from stored parts.
    public init(name: String, digest: String) {
        self.name = name
        self.digest = digest
    }

    /// The identity of a GGUF file, hashed through `cache`.
    /// - Throws: `ModelIdentityError.unreadable` when the file is missing or unreadable.
    public static func file(at path: String, cache: ModelDigestCache = .standard) throws(ModelIdentityError) -> ModelIdentity {
        let hex = try cache.digest(ofFileAt: path)
        return ModelIdentity(name: URL(fileURLWithPath: path).lastPathComponent, digest: "sha256:" + hex)
    }

    /// The identity of a model behind an OpenAI-compatible server.
    public static func remote(model: String, baseURL: String) -> ModelIdentity {
        ModelIdentity(name: model, digest: "remote:\(model)@\(baseURL)")
    }

    /// The digest cut to a readable length for messages (`sha256:` and 12 hex digits).
    public var shortDigest: String {
        digest.hasPrefix("sha256:") ? String(digest.prefix(19)) : digest
    }

    /// `name (short digest)`.
    public var description: String {
        digest.hasPrefix("sha256:") ? "\(name) (\(shortDigest))" : digest
    }
}
