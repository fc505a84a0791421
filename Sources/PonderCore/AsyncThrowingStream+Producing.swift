extension AsyncThrowingStream where Failure == Error, Element: Sendable {
    /// A stream fed by a task: `body` runs in a new unstructured task and yields into the
    /// continuation it is given. When `body` returns the stream finishes; when it throws the stream
    /// finishes with that error. When the consumer stops (cancels its task, breaks out of the loop
    /// or drops the stream) the producing task is cancelled, so cancelling the consumer cancels the
    /// producer (STYLE.md §8).
    ///
    /// ```swift
    /// func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
    ///     .producing { continuation in
    ///         for try await event in base.generate(request) { continuation.yield(event) }
    ///     }
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - elementType: the element type, for call sites that cannot infer it.
    ///   - bufferingPolicy: how many yielded elements the stream keeps before the consumer reads
    ///     them; unbounded by default, as `makeStream()`.
    ///   - body: the producer. It does not need to finish the continuation; it may (finishing twice
    ///     is harmless), e.g. to end the stream early.
    /// - Returns: the stream; the task starts at once, before the first element is requested.
    public static func producing(
        of elementType: Element.Type = Element.self,
        bufferingPolicy: Continuation.BufferingPolicy = .unbounded,
        _ body: @Sendable @escaping (Continuation) async throws -> Void
    ) -> Self {
        let (stream, continuation) = makeStream(of: elementType, throwing: Error.self, bufferingPolicy: bufferingPolicy)
        let task = Task {
            do {
                try await body(continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
