/// One run of a prompt, and whose text it is.
public enum PromptPiece: Sendable, Hashable {
    /// Text the chat template or the prompt format wrote: special-token text in it (`<|im_end|>`)
    /// becomes the special token.
    case markup(String)
    /// Text of a message (from a user, a tool, a program): always tokenized as plain text, so
    /// special-token text in it stays characters.
    case text(String)
}

/// A conversation rendered by a chat template, as the template's markup and the messages' text.
public struct ChatPromptLayout: Sendable, Hashable {
    /// How closely the pieces follow the template's own rendering.
    public enum Fidelity: Sendable, Hashable {
        /// Joined, the pieces are exactly the template's rendering of the conversation (the template
        /// wrote each message's text unchanged, or trimmed of whitespace).
        case exact
        /// The template changes messages' text in a way Ponder does not reproduce (or repeats a
        /// message): the pieces are the template's markup with each message's text, as given, where
        /// the template put it. The model sees the conversation slightly differently from the
        /// template's intent, never with message text as markup.
        case contentAsGiven
    }

    /// Markup and message text, in order; no piece is empty.
    public let pieces: [PromptPiece]
    /// How the split was found.
    public let fidelity: Fidelity

    /// The pieces joined: the prompt as text.
    public var text: String {
        pieces.map { piece in
            switch piece {
            case .markup(let text), .text(let text): return text
            }
        }.joined()
    }
}

/// Separates a chat template's markup from the messages' text, so that only the template's own
/// markup can become special tokens (a user message containing `<|im_end|>\n<|im_start|>system\n…`
/// must stay text, not open a system turn).
///
/// The template is rendered twice: once with every message's text replaced by a placeholder, a
/// random string of 32 lowercase letters that occurs in no message (so no template can trim or
/// escape it, and no message can forge it), and once with the real text. Everything in the first
/// rendering other than the placeholders is the template's markup, written without seeing any
/// message. Then:
///
/// 1. **Exact split.** When each placeholder occurs exactly once and in message order, the real
///    rendering must be the markup with each message's text, or that text trimmed of ASCII
///    whitespace (as llama.cpp's Llama 3, Gemma and other templates do), in between. The split
///    is checked by rebuilding the real rendering byte for byte; the pieces are then exactly
///    what the template renders.
/// 2. **Fallback** (`Fidelity.contentAsGiven`), when the template changes text in another way,
///    or repeats or reorders messages: the placeholder rendering's markup is kept and every
///    placeholder is replaced by its message's text as given. This is sound for the same reason
///    as the exact split, since the markup was written before any message text was in it; what
///    may differ from the template is only how the messages' own text is shaped.
/// 3. A template that mangles a placeholder (so a non-empty message's text has no place in the
///    rendering) is refused with `LlamaError.unsupportedChatTemplate`: there is no way to tell its
///    markup from its messages, and parsing the whole rendering would hand message text to the
///    tokenizer as markup.
///
/// Pure string work (UTF-8 bytes, compared exactly): `render` is the template, as a function of
/// the messages' texts.
struct ChatTemplateSplitter {
    /// Length of a placeholder, in letters (26^32 ≈ 2^150 choices).
    static let placeholderLength = 32

    /// Draws one placeholder candidate; random lowercase letters unless a test scripts them.
    var drawPlaceholder: () -> String = {
        var generator = SystemRandomNumberGenerator()
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        return String(decoding: (0..<ChatTemplateSplitter.placeholderLength).map { _ in letters.randomElement(using: &generator)! },
                      as: UTF8.self)
    }

    /// Splits the template's rendering of `contents` (one text per message, in order).
    /// - Throws: `LlamaError.unsupportedChatTemplate` when the template loses a placeholder, or
    ///   whatever `render` throws.
    func layout(of contents: [String], render: ([String]) throws -> String) throws -> ChatPromptLayout {
        let placeholders = try drawPlaceholders(count: contents.count, avoiding: contents)
        let shape = Array(try render(placeholders).utf8)
        let hits = Self.occurrences(of: placeholders.map { Array($0.utf8) }, in: shape)
        let texts = contents.map { Array($0.utf8) }
        if hits.map(\.message) == Array(contents.indices) {
            var markups: [[UInt8]] = []
            var start = 0
            for hit in hits {
                markups.append(Array(shape[start..<hit.range.lowerBound]))
                start = hit.range.upperBound
            }
            markups.append(Array(shape[start...]))
            let rendered = Array(try render(contents).utf8)
            if let written = Self.align(markups: markups, contents: texts, in: rendered) {
                var pieces: [PromptPiece] = []
                for (index, markup) in markups.enumerated() {
                    Self.append(.markup(Self.string(markup)), to: &pieces)
                    if index < written.count { Self.append(.text(Self.string(written[index])), to: &pieces) }
                }
                return ChatPromptLayout(pieces: pieces, fidelity: .exact)
            }
        }
        let placed = Set(hits.map(\.message))
        if let lost = contents.indices.first(where: { !contents[$0].isEmpty && !placed.contains($0) }) {
            throw LlamaError.unsupportedChatTemplate(
                "the chat template does not keep the text of message \(lost + 1) where Ponder can find it, so its markup "
                + "cannot be told from the messages' text; use another template (ChatML, Llama 3, ...) or a raw text prompt")
        }
        var pieces: [PromptPiece] = []
        var start = 0
        for hit in hits {
            Self.append(.markup(Self.string(shape[start..<hit.range.lowerBound])), to: &pieces)
            Self.append(.text(contents[hit.message]), to: &pieces)
            start = hit.range.upperBound
        }
        Self.append(.markup(Self.string(shape[start...])), to: &pieces)
        return ChatPromptLayout(pieces: pieces, fidelity: .contentAsGiven)
    }

    /// `count` distinct placeholders, none of which occurs in any of `contents`.
    private func drawPlaceholders(count: Int, avoiding contents: [String]) throws -> [String] {
        let texts = contents.map { Array($0.utf8) }
        var chosen: [String] = []
        var draws = 0
        while chosen.count < count {
            draws += 1
            guard draws <= count + 16 else {
                throw LlamaError.unsupportedChatTemplate("no placeholder could be drawn that occurs in none of the messages")
            }
            let candidate = drawPlaceholder()
            let bytes = Array(candidate.utf8)
            guard !bytes.isEmpty, !chosen.contains(candidate),
                  !texts.contains(where: { Self.firstIndex(of: bytes, in: $0, from: 0) != nil }) else { continue }
            chosen.append(candidate)
        }
        return chosen
    }

    /// Every occurrence of any placeholder in `shape`, left to right, not overlapping.
    static func occurrences(of placeholders: [[UInt8]], in shape: [UInt8]) -> [(message: Int, range: Range<Int>)] {
        var hits: [(message: Int, range: Range<Int>)] = []
        var position = 0
        while position < shape.count {
            if let message = placeholders.firstIndex(where: { matches($0, in: shape, at: position) }) {
                hits.append((message, position..<(position + placeholders[message].count)))
                position += placeholders[message].count
            } else {
                position += 1
            }
        }
        return hits
    }

    /// The messages' texts as the template wrote them (each as given or trimmed), such that the
    /// markups with those texts between them are exactly `rendered`; nil when there is none.
    static func align(markups: [[UInt8]], contents: [[UInt8]], in rendered: [UInt8]) -> [[UInt8]]? {
        var deadEnds = Set<[Int]>()
        func match(_ index: Int, at position: Int) -> [[UInt8]]? {
            guard matches(markups[index], in: rendered, at: position) else { return nil }
            let next = position + markups[index].count
            guard index < contents.count else { return next == rendered.count ? [] : nil }
            guard !deadEnds.contains([index, next]) else { return nil }
            let trimmed = trimmingASCIIWhitespace(contents[index])
            for candidate in trimmed == contents[index] ? [trimmed] : [contents[index], trimmed]
            where matches(candidate, in: rendered, at: next) {
                if let rest = match(index + 1, at: next + candidate.count) { return [candidate] + rest }
            }
            deadEnds.insert([index, next])
            return nil
        }
        return match(0, at: 0)
    }

    /// The bytes without leading and trailing C `isspace` characters (llama.cpp's `trim`).
    static func trimmingASCIIWhitespace(_ bytes: [UInt8]) -> [UInt8] {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0D).contains($0) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return [] }
        return Array(bytes[first...last])
    }

    static func matches(_ needle: [UInt8], in haystack: [UInt8], at position: Int) -> Bool {
        guard position + needle.count <= haystack.count else { return false }
        var offset = 0
        while offset < needle.count {
            if haystack[position + offset] != needle[offset] { return false }
            offset += 1
        }
        return true
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var position = start
        while position + needle.count <= haystack.count {
            if matches(needle, in: haystack, at: position) { return position }
            position += 1
        }
        return nil
    }

    private static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        String(decoding: Array(bytes), as: UTF8.self)
    }

    /// Appends a piece, dropping empty ones and joining neighbours of the same kind.
    private static func append(_ piece: PromptPiece, to pieces: inout [PromptPiece]) {
        switch (pieces.last, piece) {
        case (_, .markup(let text)) where text.isEmpty, (_, .text(let text)) where text.isEmpty:
            return
        case (.markup(let before)?, .markup(let text)):
            pieces[pieces.count - 1] = .markup(before + text)
        case (.text(let before)?, .text(let text)):
            pieces[pieces.count - 1] = .text(before + text)
        default:
            pieces.append(piece)
        }
    }
}
