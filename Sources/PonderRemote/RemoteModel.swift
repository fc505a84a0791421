import Foundation
import Logging
import PonderCore

/// An OpenAI-compatible server (vLLM, SGLang, llama.cpp's `llama-server`, Ollama, OpenAI) as a
/// `LanguageModel`: every generation is streamed over server-sent events, with log-probabilities,
/// parallel samples, stop strings and steering, so Ponder's reasoning runs unchanged on a remote model.
///
/// ```swift
/// let model = try await RemoteModel.connect(try RemoteConfiguration(baseURL: "http://127.0.0.1:8080/v1"))
/// for try await event in model.generate(try .chat([.user("What is 17 + 25?")])) {
///     if case .text(let delta) = event { print(delta.text, terminator: "") }
/// }
/// ```
///
/// What maps where (see docs/REMOTE.md): `count` → `n` when the upstream has it and no steering is
/// set, otherwise one request per sequence seeded `seed + i`; `maxTokens` → `max_tokens`
/// (`max_completion_tokens` for OpenAI); `.text` and `.tokens` prompts → `/completions`;
/// `.continuation` → a final assistant message the upstream continues.
public struct RemoteModel: LanguageModel {
    /// What the upstream told about its model.
    public let info: ModelInfo
    /// The upstream's kind (detected or configured).
    public let flavor: UpstreamFlavor
    /// Where it is.
    public let configuration: RemoteConfiguration
    private let client: UpstreamClient
    private let mapper: RequestMapper

    /// Connects: reads `/models` (and llama-server's `/props` for the chat template), checks the
    /// configured model is served, detects the flavor unless configured.
    /// - Throws: `RemoteError` when the upstream is unreachable, refuses the key or lacks the model.
    public static func connect(_ configuration: RemoteConfiguration,
                               logger: Logger = Logger(label: "ponder.remote")) async throws -> RemoteModel {
        let client = UpstreamClient(configuration: configuration, logger: logger)
        let list: WireModelList
        do {
            list = try await client.getJSON(WireModelList.self, from: configuration.endpoint("models"))
        } catch RemoteError.upstream(let status, _) where status == 404 || status == 405 {
            // Some servers have no model list; then the configured name is taken on trust.
            guard let name = configuration.model else {
                throw RemoteError.invalidConfiguration("the upstream has no /models list: name the model with --model")
            }
            list = WireModelList(data: [.init(id: name, ownedBy: nil, meta: nil, maxModelLen: nil)])
        }
        let entry: WireModelList.Model
        if let name = configuration.model {
            guard let found = list.data.first(where: { $0.id == name }) ?? Self.llamaServerSingle(list, configuration) else {
                throw RemoteError.modelNotFound(requested: name, available: list.data.map(\.id))
            }
            entry = found
        } else {
            guard let first = list.data.first else { throw RemoteError.modelNotFound(requested: "(any)", available: []) }
            entry = first
        }
        let flavor = configuration.flavor
            ?? UpstreamFlavor.detect(ownedBy: entry.ownedBy, host: configuration.baseURL.host ?? "")
        var props: WireProps?
        if flavor == .llamaServer {
            props = try? await client.getJSON(WireProps.self, from: configuration.serverRoot + "/props")
        }
        var special: [String: String] = [:]
        if let bos = props?.bosToken, !bos.isEmpty { special["bos"] = bos }
        if let eos = props?.eosToken, !eos.isEmpty { special["eos"] = eos }
        let name = configuration.model ?? entry.id
        let info = ModelInfo(
            name: name, architecture: nil, parameterCount: entry.meta?.nParams,
            trainedContextLength: entry.meta?.nCtxTrain,
            contextLength: entry.meta?.nCtx ?? entry.maxModelLen ?? entry.meta?.nCtxTrain ?? 0,
            chatTemplate: props?.chatTemplate, specialTokens: special)
        logger.info("connected to \(configuration.baseURL.absoluteString) (\(flavor.rawValue)), model \(name)")
        return RemoteModel(info: info, flavor: flavor, configuration: configuration, client: client,
                           mapper: RequestMapper(flavor: flavor, model: name))
    }

    /// llama-server serves one model whatever the request names; accept any name for it.
    private static func llamaServerSingle(_ list: WireModelList, _ configuration: RemoteConfiguration) -> WireModelList.Model? {
        guard list.data.count == 1, let only = list.data.first,
              (configuration.flavor ?? UpstreamFlavor.detect(ownedBy: only.ownedBy, host: "")) == .llamaServer else { return nil }
        return only
    }

    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        .producing { [client, mapper] continuation in
            try await RemoteGeneration(client: client, mapper: mapper, request: request, events: continuation).run()
        }
    }
}
