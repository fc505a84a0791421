import Synchronization

/// Why a steerer forced text into a sequence. The engine reports it with the text
/// (`TextDelta.injection`), so a consumer reads what happened instead of guessing from the text.
public enum InjectionPurpose: String, Sendable, Hashable, Codable, CaseIterable {
    /// A tool's result (a calculator value, program output).
    case toolResult = "tool_result"
    /// The reasoning budget ran out, so the reasoning was closed and the answer asked for.
    case budgetClose = "budget_close"
    /// The model tried to end without an answer, so the reasoning was closed and the answer asked for.
    case forcedEnd = "forced_end"
    /// Anything else a steerer forces in.
    case other
}

/// Text a steerer forces into a sequence, and whether it is the prompt format's markup or data.
///
/// The difference is how the engine tokenizes it. Data (`.plain`) is always tokenized as plain
/// text, so a tool result or program output that contains `<|im_end|>` reaches the model as those
/// characters, never as the end-of-turn token. Markup (`.markup`) is tokenized with special tokens
/// parsed, so a thinking format's closing (`</think>`, an answer marker) becomes the model's own
/// token when it is one. Only text the steerer wrote itself from the prompt format is markup:
/// anything derived from a user, a tool or a program is `.plain`.
///
/// ```swift
/// return .inject(.plain(" \(value)"))          // a calculator result
/// return .inject(.markup(format.forcedClosing))  // budget forcing
/// ```
public struct InjectedText: Sendable, Hashable {
    /// How injected text is tokenized.
    public enum Kind: Sendable, Hashable {
        /// Plain text: special-token text in it stays text (tool results, program output, user input).
        case plain
        /// Format markup: special-token text in it becomes the special token.
        case markup
    }

    /// The text forced in.
    public let text: String
    /// How it is tokenized.
    public let kind: Kind
    /// Why it is forced in (reported with the text).
    public let purpose: InjectionPurpose

    /// Creates injected text of a kind and purpose.
    public init(_ text: String, kind: Kind, purpose: InjectionPurpose = .other) {
        self.text = text
        self.kind = kind
        self.purpose = purpose
    }

    /// Data (a tool result, program output, anything from a user): tokenized as plain text.
    public static func plain(_ text: String, purpose: InjectionPurpose = .other) -> InjectedText {
        InjectedText(text, kind: .plain, purpose: purpose)
    }

    /// The prompt format's own markup (a thinking format's closing): special tokens in it are parsed.
    public static func markup(_ text: String, purpose: InjectionPurpose = .other) -> InjectedText {
        InjectedText(text, kind: .markup, purpose: purpose)
    }
}

/// What a steerer wants the engine to do after it has seen a sequence's newest text.
public enum SteeringDecision: Sendable, Hashable {
    /// Keep sampling.
    case proceed
    /// Force this text into the sequence, tokenized as its kind says (plain text or markup), then
    /// keep sampling. The engine decodes it as if the model had written it; it is reported as
    /// injected text.
    case inject(InjectedText)
    /// End the sequence now (finish reason `stop`).
    case stop
    /// Pause this sequence (other sequences keep decoding) until `pending` has its text, then force
    /// that text in as with `inject` (as `pending.kind` says, plain text unless asked), and call the
    /// steerer's `didInject(_:)`. Used for tools that take time, such as running code.
    case injectWhenReady(PendingInjection)
}

/// Text that a slow tool will produce, awaited by the engine without blocking its decode loop.
///
/// ```swift
/// let pending = PendingInjection { await runCode(source) }   // starts at once
/// return .injectWhenReady(pending)
/// ```
public final class PendingInjection: Sendable, Hashable {
    private let state = Mutex<State>(State())
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    private struct State {
        var text: String?
        var waiters: [@Sendable () -> Void] = []
    }

    /// How the text is tokenized once it is ready.
    public let kind: InjectedText.Kind
    /// Why the text is forced in (a tool's result unless said).
    public let purpose: InjectionPurpose

    /// Starts `work` now; its result becomes `text`, tokenized as `kind` says. Slow work is a tool
    /// running (code and its output), so the text is plain unless `kind` says it is markup, and a
    /// tool's result unless `purpose` says otherwise.
    public init(_ kind: InjectedText.Kind = .plain, purpose: InjectionPurpose = .toolResult, _ work: @escaping @Sendable () async -> String) {
        self.kind = kind
        self.purpose = purpose
        let started = Task { [weak self] in
            let text = await work()
            self?.complete(with: text)
        }
        task.withLock { $0 = started }
    }

    private func complete(with text: String) {
        let waiters = state.withLock { state -> [@Sendable () -> Void] in
            state.text = text
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter() }
    }

    /// The text, once the work is done.
    public var text: String? { state.withLock { $0.text } }

    /// The text with its kind, once the work is done.
    public var injection: InjectedText? { text.map { InjectedText($0, kind: kind, purpose: purpose) } }

    /// Calls `waiter` once the text is ready (at once if it already is), from any thread.
    public func whenReady(_ waiter: @escaping @Sendable () -> Void) {
        let ready = state.withLock { state -> Bool in
            if state.text != nil { return true }
            state.waiters.append(waiter)
            return false
        }
        if ready { waiter() }
    }

    /// Cancels the work (its task sees cancellation; what it returns is still used if it finishes).
    public func cancel() { task.withLock { $0?.cancel() } }

    public static func == (a: PendingInjection, b: PendingInjection) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// Watches one sequence while it is generated and may steer it: force text in (budget forcing,
/// tool results) or end it. Called on the engine's decode thread after every sampled token, so it
/// must be quick and must not block.
public protocol SequenceSteerer: AnyObject {
    /// Sees the text that became visible with the newest token (may be empty while a character or a
    /// possible stop string is incomplete) and the number of tokens the model sampled so far.
    func observe(text: String, sampledTokens: Int) -> SteeringDecision

    /// The model sampled an end-of-generation token. `.stop` (the default) accepts the end;
    /// `.inject(text)` suppresses it and forces `text` in instead (s1's "Wait", or an answer marker,
    /// which is `.markup`).
    func willEnd(sampledTokens: Int) -> SteeringDecision

    /// Text from an `.injectWhenReady` decision was just forced in (after it was ready). Text from
    /// `.inject` is not reported here: the steerer chose it and knows it.
    func didInject(_ text: String)

    /// The confidence of the token just sampled (`GenerationRequest.confidenceTopK`), before
    /// `observe(text:sampledTokens:)` sees its text. Called only when the request asked for it.
    func observe(confidence: Double)
}

extension SequenceSteerer {
    /// Accepts the end of generation.
    public func willEnd(sampledTokens _: Int) -> SteeringDecision { .stop }

    /// Does nothing.
    public func didInject(_ text: String) {}

    /// Does nothing.
    public func observe(confidence _: Double) {}
}

/// Makes a fresh `SequenceSteerer` for each sequence of a request, so every run starts clean.
public struct SteeringFactory: Sendable {
    private let make: @Sendable (_ sequence: Int) -> any SequenceSteerer

    /// Creates a factory from a closure called once per sequence index.
    public init(_ make: @escaping @Sendable (_ sequence: Int) -> any SequenceSteerer) {
        self.make = make
    }

    /// A new steerer for sequence `index`.
    public func makeSteerer(sequence index: Int) -> any SequenceSteerer { make(index) }
}
