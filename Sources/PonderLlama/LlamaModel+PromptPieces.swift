import CLlama

extension LlamaModel {
    /// Tokenizes a prompt made of markup and text: special-token text is parsed in `.markup` pieces
    /// only, never in `.text` pieces.
    ///
    /// The pieces are not tokenized one by one. llama.cpp cuts a prompt at its special tokens and
    /// tokenizes each run of text between them on its own (a SentencePiece model starts each run
    /// with a space); tokenizing a message apart from the markup around it would cut runs where the
    /// model never saw a cut (`[INST] ` + text). So the markup's special tokens are found first
    /// (by tokenizing each markup piece with special tokens parsed), and every run of text between
    /// them, markup text and message text together, is tokenized with special parsing off. Without
    /// special-token text in the messages, the ids are the ones one tokenization of the whole
    /// rendered prompt gives; with it, that text stays text.
    /// - Parameter addSpecial: add the model's BOS and EOS as `addingSpecialTokens(to:)` does.
    /// - Throws: `LlamaError.callFailed` when llama.cpp cannot tokenize the text.
    public func tokenize(_ pieces: [PromptPiece], addSpecial: Bool) throws -> [Int32] {
        var tokens: [Int32] = []
        var run = ""
        func flush() throws {
            guard !run.isEmpty else { return }
            tokens += try tokenize(run, addSpecial: false, parseSpecial: false)
            run = ""
        }
        for piece in pieces {
            switch piece {
            case .text(let text):
                run += text
            case .markup(let markup):
                guard let parts = try markupParts(markup) else {
                    // The markup's special tokens could not be placed in its text: keep it whole.
                    try flush()
                    tokens += try tokenize(markup, addSpecial: false, parseSpecial: true)
                    continue
                }
                for part in parts {
                    switch part {
                    case .raw(let text): run += text
                    case .special(let token):
                        try flush()
                        tokens.append(token)
                    }
                }
            }
        }
        try flush()
        return addSpecial ? addingSpecialTokens(to: tokens) : tokens
    }

    /// Whether special parsing is needed to get `token` from its text (a control or unknown token;
    /// user-defined tokens such as Qwen's `<think>` are matched in plain text as well).
    func isParsedOnlyAsSpecial(_ token: Int32) -> Bool {
        let attributes = llama_vocab_get_attr(vocab, token).rawValue
        return attributes & (LLAMA_TOKEN_ATTR_CONTROL.rawValue | LLAMA_TOKEN_ATTR_UNKNOWN.rawValue) != 0
    }

    private enum MarkupPart {
        case raw(String)
        case special(Int32)
    }

    /// Markup cut at its special tokens: the tokens special parsing finds in it, in order, each at
    /// the first occurrence of its text after the previous one. Nil when a token's text is not
    /// there (a token that did not come from matching its text).
    private func markupParts(_ markup: String) throws -> [MarkupPart]? {
        let specials = try tokenize(markup, addSpecial: false, parseSpecial: true).filter(isParsedOnlyAsSpecial)
        guard !specials.isEmpty else { return [.raw(markup)] }
        let bytes = Array(markup.utf8)
        var parts: [MarkupPart] = []
        var cursor = 0
        for token in specials {
            let text = piece(token, special: true)
            guard !text.isEmpty, let start = ChatTemplateSplitter.firstIndex(of: text, in: bytes, from: cursor) else { return nil }
            if start > cursor { parts.append(.raw(String(decoding: bytes[cursor..<start], as: UTF8.self))) }
            parts.append(.special(token))
            cursor = start + text.count
        }
        if cursor < bytes.count { parts.append(.raw(String(decoding: bytes[cursor...], as: UTF8.self))) }
        return parts
    }
}
