import PonderCore
import PonderLlama
import Testing

/// The engine reports its load through the `LanguageModel` capability, as `/metrics` reads it.
@Suite struct EngineLoadCapabilityTests {
    @Test func theEngineReportsItsLoadThroughLanguageModel() async {
        // Its own engine, so that other suites' requests do not show up in its load.
        let engine = TestEngine.make(contextLength: 512, maxSequences: 1)
        let idle = await TestEngine.waitUntilIdle(engine)
        let model: any LanguageModel = engine
        #expect(model.load == idle)
        #expect(idle == EngineLoad(activeSequences: 0, queuedRequests: 0, occupiedSlots: 0))
    }
}
