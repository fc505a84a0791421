import CLlama
import Foundation
import PonderCore

/// Owns one loaded `llama_model` and its vocabulary: model facts, tokenization, detokenization and
/// the chat template. Immutable after loading, so it is safe to share; llama.cpp's tokenizer calls
/// are thread-safe.
public final class LlamaModel: @unchecked Sendable {
    let pointer: OpaquePointer
    let vocab: OpaquePointer
    /// Path the model was loaded from.
    public let path: String
    /// Number of tokens in the vocabulary.
    public let vocabularySize: Int

    /// Loads a GGUF file (CPU only, memory-mapped).
    /// - Throws: `LlamaError.modelNotFound`, `.modelUnreadable`, `.notGGUF` or `.modelLoadFailed`.
    public convenience init(path: String) throws {
        LlamaBackend.ready
        var params = llama_model_default_params()
        params.n_gpu_layers = 0
        try self.init(path: path, params: params)
    }

    /// Loads a GGUF file with explicit llama.cpp parameters (training loads without memory mapping).
    init(path: String, params: llama_model_params) throws {
        try Self.checkFile(path)
        LlamaBackend.ready
        LlamaBackend.clearRecentProblems()
        guard let model = llama_model_load_from_file(path, params) else {
            throw LlamaError.modelLoadFailed(path: path, detail: LlamaBackend.takeRecentProblems())
        }
        guard let vocab = llama_model_get_vocab(model) else {
            llama_model_free(model)
            throw LlamaError.modelLoadFailed(path: path, detail: "the model has no vocabulary")
        }
        self.pointer = model
        self.vocab = vocab
        self.path = path
        self.vocabularySize = Int(llama_vocab_n_tokens(vocab))
    }

    deinit { llama_model_free(pointer) }

    /// Checks existence, readability and the GGUF magic before llama.cpp sees the file.
    static func checkFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw LlamaError.modelNotFound(path: path)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw LlamaError.modelUnreadable(path: path) }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 4)) ?? nil
        guard magic == Data("GGUF".utf8) else { throw LlamaError.notGGUF(path: path) }
    }

    // MARK: Facts

    /// Context length the model was trained with.
    public var trainedContextLength: Int { Int(llama_model_n_ctx_train(pointer)) }
    /// Number of parameters.
    public var parameterCount: Int { Int(llama_model_n_params(pointer)) }
    /// Architecture from the GGUF metadata (`general.architecture`).
    public var architecture: String? { metadata("general.architecture") }
    /// The model's default chat template (Jinja source), if it has one.
    public var chatTemplate: String? { llama_model_chat_template(pointer, nil).map { String(cString: $0) } }

    /// A metadata value by key, as a string.
    public func metadata(_ key: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        var length = llama_model_meta_val_str(pointer, key, &buffer, buffer.count)
        guard length >= 0 else { return nil }
        if Int(length) >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(length) + 1)
            length = llama_model_meta_val_str(pointer, key, &buffer, buffer.count)
        }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Named special tokens (`bos`, `eos`, `eot`, …) and their text.
    public var specialTokens: [String: String] {
        let named: [(String, llama_token)] = [
            ("bos", llama_vocab_bos(vocab)), ("eos", llama_vocab_eos(vocab)), ("eot", llama_vocab_eot(vocab)),
            ("sep", llama_vocab_sep(vocab)), ("nl", llama_vocab_nl(vocab)), ("pad", llama_vocab_pad(vocab)),
        ]
        var result: [String: String] = [:]
        for (name, token) in named where token >= 0 {
            result[name] = String(cString: llama_vocab_get_text(vocab, token))
        }
        return result
    }

    /// Whether a token ends generation (end of turn or end of text).
    public func isEndOfGeneration(_ token: Int32) -> Bool { llama_vocab_is_eog(vocab, token) }

    // MARK: Tokens

    /// Converts text to tokens.
    /// - Parameters:
    ///   - addSpecial: add BOS/EOS if the model is configured to.
    ///   - parseSpecial: treat special-token text such as `<|im_end|>` as the special token. Off by
    ///     default: only markup Ponder or the chat template wrote may be parsed, never text from a
    ///     user, a tool or a program (`tokenize(_:addSpecial:)` with `PromptPiece`s mixes the two).
    public func tokenize(_ text: String, addSpecial: Bool = false, parseSpecial: Bool = false) throws -> [Int32] {
        let utf8 = Array(text.utf8)
        var tokens = [llama_token](repeating: 0, count: utf8.count + 8)
        var count = utf8.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                llama_tokenize(vocab, chars.baseAddress, Int32(chars.count), &tokens, Int32(tokens.count), addSpecial, parseSpecial)
            }
        }
        if count < 0, count != Int32.min {   // buffer too small: -count is the size needed
            tokens = [llama_token](repeating: 0, count: Int(-count))
            count = utf8.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    llama_tokenize(vocab, chars.baseAddress, Int32(chars.count), &tokens, Int32(tokens.count), addSpecial, parseSpecial)
                }
            }
        }
        guard count >= 0 else {
            throw LlamaError.callFailed(call: "llama_tokenize", code: count, detail: "the text could not be tokenized")
        }
        return Array(tokens.prefix(Int(count)))
    }

    /// `tokens` with the special tokens the model wants around a prompt: BOS first when the model
    /// adds one and `tokens` does not already begin with it (a template or a raw prompt may write
    /// it), and EOS last when the model adds one, as `llama_tokenize`'s `add_special` does. The
    /// one home of this rule: the engine's prompts and the trainer's examples both go through it.
    public func addingSpecialTokens(to tokens: [Int32]) -> [Int32] {
        var tokens = tokens
        let bos = llama_vocab_bos(vocab)
        if llama_vocab_get_add_bos(vocab), bos >= 0, tokens.first != bos { tokens.insert(bos, at: 0) }
        let eos = llama_vocab_eos(vocab)
        if llama_vocab_get_add_eos(vocab), eos >= 0 { tokens.append(eos) }
        return tokens
    }

    /// The bytes a token stands for (may be part of a UTF-8 character). Control tokens render as
    /// nothing unless `special` is true.
    public func piece(_ token: Int32, special: Bool = false) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 64)
        var length = llama_token_to_piece(vocab, token, &buffer, Int32(buffer.count), 0, special)
        if length < 0 {
            buffer = [CChar](repeating: 0, count: Int(-length))
            length = llama_token_to_piece(vocab, token, &buffer, Int32(buffer.count), 0, special)
        }
        guard length > 0 else { return [] }
        return buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }
    }

    /// Converts tokens back to text (invalid UTF-8 becomes U+FFFD).
    public func detokenize(_ tokens: [Int32], special: Bool = false) -> String {
        String(decoding: tokens.flatMap { piece($0, special: special) }, as: UTF8.self)
    }

    // MARK: Chat template

    /// Renders messages with the model's chat template (or `template` if given), optionally ending
    /// with the opening of the assistant's turn. This is the prompt as text, for showing; the tokens
    /// a conversation becomes come from `chatTokens(_:addAssistantPrompt:assistantPrefix:template:)`,
    /// which keeps the messages' text from becoming markup.
    /// - Throws: `PonderError.emptyMessages`, or `LlamaError.unsupportedChatTemplate` when the
    ///   model has no template or llama.cpp does not recognise it.
    public func applyChatTemplate(_ messages: [ChatMessage], addAssistantPrompt: Bool = true, template: String? = nil) throws -> String {
        guard !messages.isEmpty else { throw PonderError.emptyMessages }
        let template = try resolvedTemplate(template)
        return try render(roles: messages.map(\.role.rawValue), contents: messages.map(\.content),
                          addAssistantPrompt: addAssistantPrompt, template: template)
    }

    /// The conversation as the template's markup and the messages' text (`ChatTemplateSplitter`
    /// explains how they are told apart, and its fallback).
    /// - Throws: as `applyChatTemplate`, and `LlamaError.unsupportedChatTemplate` for a template
    ///   that does not keep messages' text where it can be found.
    public func chatLayout(_ messages: [ChatMessage], addAssistantPrompt: Bool = true, template: String? = nil) throws -> ChatPromptLayout {
        guard !messages.isEmpty else { throw PonderError.emptyMessages }
        let template = try resolvedTemplate(template)
        let roles = messages.map(\.role.rawValue)
        return try ChatTemplateSplitter().layout(of: messages.map(\.content)) { contents in
            try render(roles: roles, contents: contents, addAssistantPrompt: addAssistantPrompt, template: template)
        }
    }

    /// The token ids of a conversation, as the engine decodes it: only the chat template's own
    /// markup (and `assistantPrefix`, the prompt format's markup that begins the assistant's turn,
    /// such as `"<think>\n"`) may become special tokens; every message's text is tokenized as plain
    /// text, so `<|im_end|>` in a user message or a tool result stays those characters. BOS is
    /// added when the model wants one and the template did not write it.
    ///
    /// ```swift
    /// let ids = try model.chatTokens([.user("What is 17 + 25?")])
    /// ```
    /// - Throws: as `chatLayout`.
    public func chatTokens(_ messages: [ChatMessage], addAssistantPrompt: Bool = true, assistantPrefix: String = "",
                           template: String? = nil) throws -> [Int32] {
        let layout = try chatLayout(messages, addAssistantPrompt: addAssistantPrompt, template: template)
        return try tokenize(layout.pieces + [.markup(assistantPrefix)], addSpecial: true)
    }

    private func resolvedTemplate(_ template: String?) throws -> String {
        guard let template = template ?? chatTemplate else {
            throw LlamaError.unsupportedChatTemplate("the model has no chat template; use a raw text prompt")
        }
        return template
    }

    private func render(roles: [String], contents: [String], addAssistantPrompt: Bool, template: String) throws -> String {
        // Keep the C strings alive for the duration of the call.
        let roleStrings = roles.map { strdup($0) }
        let contentStrings = contents.map { strdup($0) }
        defer { (roleStrings + contentStrings).forEach { free($0) } }
        var chat = zip(roleStrings, contentStrings).map { llama_chat_message(role: $0, content: $1) }
        var capacity = max(256, contents.reduce(0) { $0 + $1.utf8.count } * 2 + 256)
        for _ in 0..<2 {
            var buffer = [CChar](repeating: 0, count: capacity)
            let length = llama_chat_apply_template(template, &chat, chat.count, addAssistantPrompt, &buffer, Int32(capacity))
            guard length >= 0 else {
                throw LlamaError.unsupportedChatTemplate("llama.cpp does not recognise this template (it supports ChatML, Llama 2/3, Mistral, Gemma, Phi and others)")
            }
            if Int(length) <= capacity {
                return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            capacity = Int(length) + 1
        }
        throw LlamaError.unsupportedChatTemplate("the rendered prompt did not fit its buffer")
    }
}
