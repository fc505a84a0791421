import Foundation
import PonderCore

/// Where `scripts/bootstrap` puts the default model (SmolLM2-135M-Instruct, Q4_1).
///
/// The cache is `$PONDER_CACHE` or `~/.cache/ponder`; `$PONDER_MODEL` overrides the whole path.
public enum DefaultModel {
    /// File name of the default model.
    public static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// The cache directory the bootstrap writes to.
    public static var cacheDirectory: String { PonderCache.directory }

    /// Path of the default model.
    public static var path: String {
        if let model = ProcessInfo.processInfo.environment["PONDER_MODEL"], !model.isEmpty { return model }
        return cacheDirectory + "/models/" + fileName
    }
}
