import Foundation

/// How the tests that run the real model configure its engine, read from the environment so the
/// whole suite can be run along the floating-point paths another CPU would take (docs/TESTING.md):
///
/// ```sh
/// PONDER_TEST_THREADS=1 PONDER_TEST_UNIFIED_CACHE=1 swift test
/// ```
///
/// - `PONDER_TEST_THREADS`: decode threads, 1...512 (unset: each test's own choice, by default
///   every core).
/// - `PONDER_TEST_UNIFIED_CACHE`: `1` for one KV cache shared by all sequences, `0` for one
///   stream per sequence (unset: `0`, the engine's default).
///
/// Another thread count, or the other cache layout, changes how llama.cpp sums floating-point
/// values, the way another CPU's kernels do; a test that passes in every combination asserts
/// mechanisms, not which token the model happens to pick.
public enum RealModelTestSettings {
    /// The decode thread count to use instead of a test's own, if set.
    public static let threads: Int? = {
        guard let text = ProcessInfo.processInfo.environment["PONDER_TEST_THREADS"], !text.isEmpty else { return nil }
        guard let value = Int(text), (1...512).contains(value) else {
            fatalError("PONDER_TEST_THREADS=\(text) is not a thread count in 1...512")
        }
        return value
    }()

    /// Whether engines use one KV cache shared by all sequences.
    public static let unifiedCache: Bool = {
        switch ProcessInfo.processInfo.environment["PONDER_TEST_UNIFIED_CACHE"] ?? "" {
        case "", "0": return false
        case "1": return true
        case let other: fatalError("PONDER_TEST_UNIFIED_CACHE=\(other) is neither 0 nor 1")
        }
    }()

    /// The thread count for a test that would use `preferred` (every core when nil).
    public static func threads(preferring preferred: Int? = nil) -> Int {
        threads ?? preferred ?? ProcessInfo.processInfo.activeProcessorCount
    }

    /// One line for a test log: which path this run takes.
    public static var description: String {
        "threads \(threads.map(String.init) ?? "default"), unified cache \(unifiedCache ? "on" : "off")"
    }
}
