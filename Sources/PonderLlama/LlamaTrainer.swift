import CLlama
import Foundation
import PonderCore

/// Fine-tunes an F32 GGUF model in place with llama.cpp's training API (`llama_opt_init` /
/// `llama_opt_epoch`, as llama.cpp's `examples/training/finetune.cpp` uses it) and AdamW, one
/// example per step.
///
/// Each example is a token sequence of at most `window + 1` tokens; it is padded with `padToken` and
/// fed as inputs `x[0..<window]` with next-token labels `x[1...window]`. Without weights every
/// position of the window counts in the cross-entropy (llama.cpp's `llama_opt_epoch`), prompt and
/// padding included. With weights (`step(_:weights:padToken:)`, through Ponder's patch
/// `llama_opt_epoch_weighted`, patches/README.md) each label counts by its weight: 0 masks it, a
/// negative weight pushes its token down, and padding is masked.
///
/// Owns the writable model, its training context, the optimizer state and a one-example dataset;
/// not thread-safe (one owner drives it).
public final class LlamaTrainer: Trainer, @unchecked Sendable {
    /// The settings it was built with.
    public let settings: TrainerSettings
    /// CPU threads.
    public let threads: Int
    /// The model being trained (loaded without memory mapping so its weights are writable).
    public let model: LlamaModel
    /// Optimizer steps taken.
    public private(set) var steps = 0
    private let context: LlamaContext
    private let dataset: ggml_opt_dataset_t
    private let parameters: OptimizerParameters
    private let filter: TensorFilter

    /// Loads an F32 model for training.
    /// - Parameter threads: CPU threads, 1...512.
    /// - Throws: `LlamaError` when the file cannot be loaded, is not all F32 where it matters, or the
    ///   training context cannot be created; `LlamaError.invalidConfiguration` for `threads` out of range.
    public init(modelPath: String, settings: TrainerSettings, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        guard (1...512).contains(threads) else {
            throw LlamaError.invalidConfiguration("threads \(threads) is outside 1...512")
        }
        try LlamaModel.checkFile(modelPath)
        LlamaBackend.ready
        LlamaBackend.clearRecentProblems()
        var modelParams = llama_model_default_params()
        modelParams.n_gpu_layers = 0
        modelParams.load_mode = LLAMA_LOAD_MODE_NONE   // writable weights
        let model = try LlamaModel(path: modelPath, params: modelParams)
        guard llama_model_ftype(model.pointer) == LLAMA_FTYPE_ALL_F32 else {
            throw LlamaError.invalidConfiguration("\(modelPath) is not an all-F32 model; llama.cpp trains F32 weights only (convert it first)")
        }
        let context = try LlamaContext(trainingModel: model, window: settings.window, threads: threads)
        guard Int(llama_n_ctx(context.pointer)) == settings.window else {
            throw LlamaError.contextCreationFailed(detail: "llama.cpp sized the training context to \(llama_n_ctx(context.pointer)), not \(settings.window)")
        }
        guard let dataset = ggml_opt_dataset_init(GGML_TYPE_I32, GGML_TYPE_I32, Int64(settings.window), Int64(settings.window), 1, 1) else {
            throw LlamaError.callFailed(call: "ggml_opt_dataset_init", code: -1, detail: "could not allocate the training buffer")
        }
        self.settings = settings
        self.threads = threads
        self.model = model
        self.context = context
        self.dataset = dataset
        self.parameters = OptimizerParameters(learningRate: Float(settings.learningRate), weightDecay: Float(settings.weightDecay))
        let layers = Int(llama_model_n_layer(model.pointer))
        self.filter = TensorFilter(firstLayer: settings.trainableLayers.map { max(0, layers - $0) } ?? 0)

        let optimizerCallback: ggml_opt_get_optimizer_params = { userdata in
            let box = Unmanaged<OptimizerParameters>.fromOpaque(userdata!).takeUnretainedValue()
            var result = ggml_opt_get_default_optimizer_params(nil)
            result.adamw.alpha = box.learningRate
            result.adamw.wd = box.weightDecay
            return result
        }
        let filterCallback: llama_opt_param_filter = { tensor, userdata in
            guard let tensor, let userdata else { return false }
            let filter = Unmanaged<TensorFilter>.fromOpaque(userdata).takeUnretainedValue()
            return filter.accepts(String(cString: ggml_get_name(tensor)))
        }
        let optParams = llama_opt_params(
            n_ctx_train: 0,
            param_filter: settings.trainableLayers == nil ? llama_opt_param_filter_all : filterCallback,
            param_filter_ud: Unmanaged.passUnretained(filter).toOpaque(),
            get_opt_pars: optimizerCallback,
            get_opt_pars_ud: Unmanaged.passUnretained(parameters).toOpaque(),
            optimizer_type: GGML_OPT_OPTIMIZER_TYPE_ADAMW)
        llama_opt_init(context.pointer, model.pointer, optParams)
    }

    deinit {
        ggml_opt_dataset_free(dataset)
        // The context (and then the model) is released after this, when the stored properties go.
    }

    /// A conversation as training tokens (`tokens(of:model:)` with the model being trained).
    public func tokens(of conversation: [ChatMessage]) throws -> [Int32] {
        try Self.tokens(of: conversation, model: model)
    }

    /// A conversation as training tokens: the chat template without an opened assistant turn, cut
    /// right after the last end-of-turn token. Tokenized as the engine tokenizes a prompt
    /// (`LlamaModel.chatTokens`, with its BOS rule `LlamaModel.addingSpecialTokens(to:)`): the
    /// template's markup has its special tokens (`<|im_end|>` is the end-of-turn token), every
    /// message's text, the assistant's answer included, is plain text. So a tool's output or a
    /// question containing `<|im_end|>` is learnt as the characters the model saw at inference,
    /// and the last end-of-turn token is always the template's. (The thinking format's tags in the
    /// answer are plain text too: the same ids as at inference when they are ordinary or
    /// user-defined tokens, as `<think>` is in Qwen3; a family whose tags were control tokens
    /// would learn them as characters.)
    /// - Throws: `PonderError.backend` when the conversation does not end with the assistant's
    ///   turn or the template does not end it with an end-of-turn token; `chatTokens`' errors.
    public static func tokens(of conversation: [ChatMessage], model: LlamaModel) throws -> [Int32] {
        guard conversation.last?.role == .assistant else {
            throw PonderError.backend("a training conversation does not end with the assistant's turn")
        }
        var tokens = try model.chatTokens(conversation, addAssistantPrompt: false)
        guard let last = tokens.lastIndex(where: { model.isEndOfGeneration($0) }) else {
            throw PonderError.backend("the chat template did not end the assistant's turn with an end-of-turn token")
        }
        tokens.removeSubrange((last + 1)...)
        return tokens
    }

    /// How many tokens of the conversation come before the assistant's last turn: the chat
    /// template up to and including the opened assistant turn, as the engine tokenizes the prompt
    /// at inference. Where the training tokens do not start with exactly those tokens, the common
    /// prefix is the prompt.
    public func promptLength(of conversation: [ChatMessage]) throws -> Int {
        try Self.promptLength(of: conversation, model: model)
    }

    /// The bytes a token decodes to as plain text (control tokens: none).
    public func tokenBytes(_ token: Int32) -> [UInt8] { model.piece(token) }

    /// `promptLength(of:)` with a given model's template and tokenizer.
    public static func promptLength(of conversation: [ChatMessage], model: LlamaModel) throws -> Int {
        let tokens = try tokens(of: conversation, model: model)
        let prompt = try model.chatTokens(Array(conversation.dropLast()), addAssistantPrompt: true)
        return zip(tokens, prompt).prefix { $0 == $1 }.count
    }

    /// The token that ends an assistant turn (end-of-turn, else end-of-sequence): every training
    /// conversation must end with it, and it pads windows.
    public var endOfTurnToken: Int32 {
        let eot = llama_vocab_eot(model.vocab)
        return eot >= 0 ? eot : llama_vocab_eos(model.vocab)
    }

    /// The learning rate of the next steps (a schedule may lower it between steps).
    public var learningRate: Double {
        get { Double(parameters.learningRate) }
        set { parameters.learningRate = Float(newValue) }
    }

    /// One AdamW step on one example; returns the example's mean cross-entropy before the step.
    /// - Throws: `LlamaError.invalidConfiguration` for an example longer than `window + 1` tokens,
    ///   shorter than 2, or with a token outside the vocabulary.
    public func step(_ tokens: [Int32], padToken: Int32) throws -> Double {
        try step(tokens, weights: nil, padToken: padToken)
    }

    /// One AdamW step on one example whose label `i` (the token `tokens[i + 1]`) counts by
    /// `weights[i]`; nil weights are the unweighted step. Returns the weighted mean cross-entropy
    /// over the labels with a nonzero weight, before the step.
    /// - Throws: as `step(_:padToken:)`; `LlamaError.invalidConfiguration` when `weights` does not
    ///   have `tokens.count - 1` finite entries or masks every label.
    public func step(_ tokens: [Int32], weights: [Float]?, padToken: Int32) throws -> Double {
        let (inputs, labels) = try window(of: tokens, padToken: padToken)
        return try step(inputs: inputs, labels: labels, weights: try windowWeights(weights, labelCount: tokens.count - 1))
    }

    /// The example's mean cross-entropy without changing the weights (a validation forward pass).
    public func loss(_ tokens: [Int32], padToken: Int32) throws -> Double {
        try loss(tokens, weights: nil, padToken: padToken)
    }

    /// The example's weighted mean cross-entropy over the labels with a nonzero weight, without
    /// changing the model (nil weights: every position of the window).
    public func loss(_ tokens: [Int32], weights: [Float]?, padToken: Int32) throws -> Double {
        let (inputs, labels) = try window(of: tokens, padToken: padToken)
        return try run(inputs: inputs, labels: labels, weights: try windowWeights(weights, labelCount: tokens.count - 1), train: false)
    }

    /// One step on a whole window given as inputs and labels (`window` each) and, optionally, one
    /// weight per position as llama.cpp takes them (no scaling). For tests of the patch.
    func step(inputs: [Int32], labels: [Int32], weights: [Float]?) throws -> Double {
        let loss = try run(inputs: inputs, labels: labels, weights: weights, train: true)
        steps += 1
        return loss
    }

    /// Writes the current weights as a GGUF file (F32), through `<path>.partial` renamed into place
    /// (`PartialFile`): a kill leaves the previous file or the whole new one. llama.cpp's saver
    /// records the training window as the context length and leaves out the chat template;
    /// `LlamaModelConverter` restores both from the base model when quantizing.
    /// - Throws: `LlamaError.callFailed` when the file was not written (a full disk, say).
    public func save(to path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw LlamaError.callFailed(call: "llama_model_save_to_file", code: -1, detail: "\(directory) is not writable")
        }
        try PartialFile.write(to: path) { partial in
            llama_model_save_to_file(model.pointer, partial)
            let size = (try? FileManager.default.attributesOfItem(atPath: partial)[.size] as? Int) ?? 0
            guard size > 0, (try? LlamaModel.checkFile(partial)) != nil else {
                throw LlamaError.callFailed(call: "llama_model_save_to_file", code: -1,
                                            detail: "\(path) was not written completely (is the disk full?)")
            }
        }
    }

    // MARK: Internals

    /// The padded window of an example: inputs `x[0..<window]`, labels `x[1...window]`.
    private func window(of tokens: [Int32], padToken: Int32) throws -> (inputs: [Int32], labels: [Int32]) {
        let window = settings.window
        guard tokens.count >= 2, tokens.count <= window + 1 else {
            throw LlamaError.invalidConfiguration("a training example has \(tokens.count) tokens; expected 2...\(window + 1)")
        }
        if let bad = (tokens + [padToken]).first(where: { $0 < 0 || Int($0) >= model.vocabularySize }) {
            throw LlamaError.invalidConfiguration("a training example has token \(bad), outside the vocabulary")
        }
        let padded = tokens + Array(repeating: padToken, count: window + 1 - tokens.count)
        return (Array(padded[0..<window]), Array(padded[1...window]))
    }

    /// An example's label weights as llama.cpp takes them: padded with zeros to the window and
    /// scaled by `window / nonzero labels`, so the loss llama.cpp reports (a mean over the whole
    /// window) is the weighted mean over the labels that count. Nil stays nil (unweighted).
    func windowWeights(_ weights: [Float]?, labelCount: Int) throws -> [Float]? {
        guard let weights else { return nil }
        guard weights.count == labelCount else {
            throw LlamaError.invalidConfiguration("\(weights.count) loss weights for \(labelCount) labels")
        }
        guard weights.allSatisfy(\.isFinite) else {
            throw LlamaError.invalidConfiguration("a loss weight is not a finite number")
        }
        let counted = weights.filter { $0 != 0 }.count
        guard counted > 0 else {
            throw LlamaError.invalidConfiguration("every label of the example is masked (all loss weights are 0)")
        }
        let scale = Float(settings.window) / Float(counted)
        return weights.map { $0 * scale } + Array(repeating: 0, count: settings.window - labelCount)
    }

    /// Loads the window into the one-example dataset and runs a training step or a validation
    /// pass over it, weighted when `weights` (one per position) is given.
    private func run(inputs: [Int32], labels: [Int32], weights: [Float]?, train: Bool) throws -> Double {
        let window = settings.window
        guard inputs.count == window, labels.count == window, weights.map({ $0.count == window }) ?? true else {
            throw LlamaError.invalidConfiguration("a training window needs \(window) inputs, labels and weights")
        }
        guard let data = ggml_opt_dataset_data(dataset)?.pointee.data,
              let labelData = ggml_opt_dataset_labels(dataset)?.pointee.data else {
            throw LlamaError.callFailed(call: "ggml_opt_dataset_data", code: -1, detail: "the training buffer has no data")
        }
        inputs.withUnsafeBytes { data.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        labels.withUnsafeBytes { labelData.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        let result = ggml_opt_result_init()
        defer { ggml_opt_result_free(result) }
        let call = "llama_opt_epoch\(weights == nil ? "" : "_weighted") (\(train ? "train" : "validation"))"
        if let weights {
            weights.withUnsafeBufferPointer { buffer in
                llama_opt_epoch_weighted(context.pointer, dataset, train ? result : nil, train ? nil : result, train ? 1 : 0, nil, nil, buffer.baseAddress)
            }
        } else {
            llama_opt_epoch(context.pointer, dataset, train ? result : nil, train ? nil : result, train ? 1 : 0, nil, nil)
        }
        return try loss(of: result, call: call)
    }

    private func loss(of result: ggml_opt_result_t?, call: String) throws -> Double {
        var loss = 0.0
        var uncertainty = 0.0
        var count: Int64 = 0
        ggml_opt_result_ndata(result, &count)
        ggml_opt_result_loss(result, &loss, &uncertainty)
        guard count > 0, loss.isFinite else {
            throw LlamaError.callFailed(call: call, code: -1, detail: "no finite loss came back " + LlamaBackend.takeRecentProblems())
        }
        return loss
    }
}

/// AdamW settings read by llama.cpp before every optimizer step.
private final class OptimizerParameters: @unchecked Sendable {
    var learningRate: Float
    var weightDecay: Float

    init(learningRate: Float, weightDecay: Float) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }
}

/// Which tensors train: blocks from `firstLayer` on, and the final norm.
private final class TensorFilter: @unchecked Sendable {
    let firstLayer: Int

    init(firstLayer: Int) { self.firstLayer = firstLayer }

    func accepts(_ name: String) -> Bool {
        if name.hasPrefix("output_norm") { return true }
        let parts = name.split(separator: ".")
        guard parts.count > 2, parts[0] == "blk", let layer = Int(parts[1]) else { return false }
        return layer >= firstLayer
    }
}
