import Foundation
import Hummingbird
import Logging
import NIOCore
import PonderCore
import Synchronization

/// Everything the routes share: the model, the limits, the queue and the metrics. Admission
/// (`ServingCore+Admission.swift`), the choice stream (`ServingCore+Choices.swift`) and disconnect
/// handling (`DisconnectWatch.swift`) each live in their own file.
final class ServingCore: Sendable {
    let configuration: ServerConfiguration
    let model: any LanguageModel
    let gate: AdmissionGate
    let metrics: ServerMetrics
    let logger: Logger
    /// Names a request's `model` may use.
    let modelNames: Set<String>
    /// Open connections against `maxConnections`.
    let connections: ConnectionCounter

    init(configuration: ServerConfiguration, model: any LanguageModel, metrics: ServerMetrics, logger: Logger) {
        self.configuration = configuration
        self.model = model
        self.metrics = metrics
        self.logger = logger
        self.gate = AdmissionGate(maxRunning: configuration.maxConcurrentRequests, queueLimit: configuration.queueLimit)
        self.modelNames = [configuration.modelName, model.info.name]
        self.connections = ConnectionCounter(limit: configuration.maxConnections)
    }

    /// The request body, refused with `413` past the limit.
    func body(of request: Request) async throws(APIError) -> Data {
        do {
            let buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
            return Data(buffer: buffer)
        } catch is NIOTooManyBytesError {
            throw APIError(status: .contentTooLarge, message: "The request body is larger than the server's limit of \(configuration.maxBodyBytes) bytes.",
                           code: "request_too_large")
        } catch {
            throw APIError.invalid("The request body could not be read.", param: nil, code: "invalid_body")
        }
    }
}
