import Foundation
import Hummingbird
import HummingbirdTesting
import PonderCore
@testable import PonderServer
import PonderTesting
import Testing

/// `/metrics` reads the engine gauges through the `LanguageModel.load` capability.
@Suite struct EngineLoadTests {
    /// A scripted model that reports a fixed load, as the local engine does.
    struct LoadedModel: LanguageModel {
        let base = arithmeticModel()
        var info: ModelInfo { base.info }
        var load: EngineLoad? { EngineLoad(activeSequences: 3, queuedRequests: 2, occupiedSlots: 5) }
        func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> { base.generate(request) }
    }

    @Test func aModelWithoutTheCapabilityReportsNoLoad() {
        let model: any LanguageModel = arithmeticModel()
        #expect(model.load == nil)
    }

    @Test func metricsShowTheLoadOfAModelThatReportsIt() async throws {
        let app = try makeServer(model: LoadedModel()).application
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE ponder_engine_active_sequences gauge\nponder_engine_active_sequences 3\n"))
                #expect(text.contains("ponder_engine_queued_requests 2\n"))
                #expect(text.contains("ponder_engine_occupied_slots 5\n"))
            }
        }
    }

    @Test func metricsHaveNoEngineGaugesForAModelWithoutLoad() async throws {
        let app = try makeServer().application
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(!String(buffer: response.body).contains("ponder_engine_"))
            }
        }
    }

    @Test func aWrappedModelPassesTheLoadThrough() {
        #expect(DelayedModel(base: LoadedModel(), delay: .zero).load?.occupiedSlots == 5)
    }
}
