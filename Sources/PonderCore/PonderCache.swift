import Foundation

/// Ponder's cache directory: `$PONDER_CACHE`, else `~/.cache/ponder`. The bootstrap puts the
/// pinned llama.cpp and the default model there; Ponder keeps small caches of its own beside them.
public enum PonderCache {
    /// The cache directory (not created here).
    public static var directory: String {
        let environment = ProcessInfo.processInfo.environment
        if let cache = environment["PONDER_CACHE"], !cache.isEmpty { return cache }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/ponder").path
    }
}
