import Foundation
import PonderCore
import PonderLlama
import PonderTesting

/// The real embedded model, loaded once for all engine tests (scripts/test bootstraps it).
enum TestEngine {
    static let shared = make(contextLength: 4096)

    /// An engine over the default model, with the thread count and cache layout of this test run
    /// (`RealModelTestSettings`, docs/TESTING.md).
    static func make(contextLength: Int, maxSequences: Int = 8, threads: Int? = nil) -> LlamaEngine {
        do {
            return try LlamaEngine(configuration: configuration(contextLength: contextLength, maxSequences: maxSequences, threads: threads))
        } catch {
            fatalError("the engine tests need the default model; run scripts/bootstrap first (\(error))")
        }
    }

    static func configuration(contextLength: Int, maxSequences: Int = 8, threads: Int? = nil) throws -> LlamaEngineConfiguration {
        try LlamaEngineConfiguration(modelPath: DefaultModel.path, contextLength: contextLength, maxSequences: maxSequences,
                                     threads: RealModelTestSettings.threads(preferring: threads),
                                     unifiedCache: RealModelTestSettings.unifiedCache)
    }

    static var model: LlamaModel { shared.model }

    /// A fresh scratch directory under the system temp folder.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ponder-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Waits until the engine is idle with every KV slot freed, or the deadline passes.
    static func waitUntilIdle(_ engine: LlamaEngine, seconds: Double = 5) async -> EngineLoad {
        let deadline = Date().addingTimeInterval(seconds)
        var status = engine.status
        while Date() < deadline {
            status = engine.status
            if status.activeSequences == 0, status.occupiedSlots == 0, status.queuedRequests == 0 { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return status
    }
}
