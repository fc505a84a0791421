import ArgumentParser
import Foundation
import PonderCore
import PonderLlama
import PonderReasoning
import PonderRemote

/// Which kind of model answers: the local llama.cpp engine or an OpenAI-compatible server.
enum Backend: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// The embedded llama.cpp engine with a GGUF file.
    case local
    /// Any OpenAI-compatible upstream (vLLM, SGLang, llama-server, Ollama, OpenAI).
    case openai
}

/// Options that choose and configure the model: a local GGUF file or a remote upstream.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Model backend: local (llama.cpp, a GGUF file) or openai (an OpenAI-compatible server).")
    var backend: Backend = .local

    @Option(name: .long, help: "Path of a GGUF model (default: the bootstrapped SmolLM2-135M-Instruct); with --backend openai, the upstream model name (default: its first).")
    var model: String?

    @Option(name: .customLong("base-url"), help: "With --backend openai: the API root, e.g. http://127.0.0.1:8080/v1.")
    var baseURL: String?

    @Option(name: .customLong("backend-api-key"), help: "With --backend openai: the upstream's API key (or set PONDER_BACKEND_API_KEY).")
    var backendAPIKey: String?

    @Option(name: .customLong("prompt-file"), help: "A reasoning prompt file (JSON, like Sources/PonderReasoning/Prompts/instruct.v1.json); default: the built-in one for the model's family.")
    var promptFile: String?

    @Option(name: .long, help: "CPU threads for decoding (default: number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Context per sequence in tokens (default: the model's, at most 4096).")
    var context: Int?

    @Option(name: .customLong("max-sequences"), help: "Most sequences decoded at once (1...256).")
    var maxSequences: Int = 8

    @Flag(name: .customLong("unified-cache"), help: "One KV cache for all sequences (a shared prompt is stored once) instead of one stream each.")
    var unifiedCache = false

    /// The model path to load.
    var modelPath: String { model ?? DefaultModel.path }

    /// The local engine's configuration. - Throws: when the backend is not local.
    func engineConfiguration() throws -> LlamaEngineConfiguration {
        guard backend == .local else {
            throw ValidationError("this command runs the local engine only: drop --backend \(backend.rawValue)")
        }
        return try LlamaEngineConfiguration(modelPath: modelPath, contextLength: context, maxSequences: maxSequences,
                                            threads: threads, unifiedCache: unifiedCache)
    }

    /// The remote backend's configuration; the API key comes from `--backend-api-key`, else from
    /// `PONDER_BACKEND_API_KEY` in `environment`.
    func remoteConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RemoteConfiguration {
        guard backend == .openai else { throw ValidationError("--base-url and --backend-api-key need --backend openai") }
        guard let baseURL else { throw ValidationError("--backend openai needs --base-url, e.g. http://127.0.0.1:8080/v1") }
        let key = backendAPIKey ?? environment["PONDER_BACKEND_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        return try RemoteConfiguration(baseURL: baseURL, apiKey: key, model: model)
    }

    /// The model the options describe: the local engine (loads the GGUF file) or a connected
    /// remote model (reads the upstream's model list).
    func makeLanguageModel() async throws -> any LanguageModel {
        switch backend {
        case .local: return try LlamaEngine(configuration: engineConfiguration())
        case .openai: return try await RemoteModel.connect(remoteConfiguration())
        }
    }

    mutating func validate() throws {
        do { _ = try reasoningPrompt() } catch { throw ValidationError("\(error)") }
        switch backend {
        case .local:
            if baseURL != nil { throw ValidationError("--base-url needs --backend openai") }
            if backendAPIKey != nil { throw ValidationError("--backend-api-key needs --backend openai") }
            do { _ = try engineConfiguration() } catch { throw ValidationError("\(error)") }
        case .openai:
            if context != nil { throw ValidationError("--context applies to the local backend only; the upstream sets its context") }
            if unifiedCache { throw ValidationError("--unified-cache applies to the local backend only") }
            do { _ = try remoteConfiguration() } catch let error as ValidationError { throw error } catch { throw ValidationError("\(error)") }
        }
    }
}

extension ModelOptions {
    /// What the model is by content, for results that must not mix models: the SHA-256 of the
    /// local GGUF (cached by path, size and time in `$PONDER_CACHE`), or the upstream model id at
    /// the base URL.
    func identity(of model: any LanguageModel) throws -> ModelIdentity {
        switch backend {
        case .local: return try ModelIdentity.file(at: modelPath)
        case .openai: return ModelIdentity.remote(model: model.info.name, baseURL: try remoteConfiguration().baseURL.absoluteString)
        }
    }

    /// The verifier file at `path` checked against `model`'s identity; nil without a path.
    /// - Throws: `VerifierFileError` (one line) when it is unreadable, malformed or another model's.
    func trainedVerifier(path: String?, for model: any LanguageModel) throws -> TrainedVerifier? {
        guard let path else { return nil }
        return try TrainedVerifier.load(path: path, for: try identity(of: model))
    }

    /// The prompt file given with `--prompt-file`, loaded and checked; nil when none was given.
    func reasoningPrompt() throws -> ReasoningPrompt? {
        guard let promptFile else { return nil }
        return try ReasoningPrompt(contentsOf: URL(fileURLWithPath: promptFile))
    }
}
