import Foundation
import PonderReasoning

/// Renders a reasoning run in the terminal the way o1 shows it: a live "Thinking… Ns" line, the
/// titled steps as they happen, "Thought for N seconds", then the answer. Raw reasoning is shown
/// only when asked for.
final class ReasoningPrinter: @unchecked Sendable {
    private let showReasoning: Bool
    private let lock = NSLock()
    private let started = Date()
    private var statusVisible = false
    private var midReasoning = false
    private var ticker: Task<Void, Never>?

    init(showReasoning: Bool) {
        self.showReasoning = showReasoning
    }

    /// Consumes the events and returns the trace.
    func run(_ events: AsyncThrowingStream<ReasoningEvent, Error>) async throws -> ReasoningTrace? {
        startTicker()
        defer { stopTicker() }
        var output = StandardOutput()
        for try await event in events {
            switch event {
            case .summary(let summary):
                lock.withLock {
                    clearStatus()
                    if midReasoning { output.write("\n"); midReasoning = false }
                    output.write(Terminal.bold(summary.title) + " — " + summary.text + "\n")
                    drawStatus()
                }
            case .reasoning(let text):
                guard showReasoning else { continue }
                lock.withLock {
                    clearStatus()
                    output.write(Terminal.dim(text))
                    midReasoning = true
                }
            case .toolOutput(let text):
                guard showReasoning else { continue }
                lock.withLock {
                    clearStatus()
                    output.write(Terminal.tool(text))
                    midReasoning = true
                }
            case .answer, .started, .usage:
                continue   // the answer is printed whole from the trace below
            case .done(let trace):
                stopTicker()
                let seconds = Int(trace.elapsedSeconds.rounded())
                output.write((showReasoning ? "\n" : "") + "Thought for \(seconds) second\(seconds == 1 ? "" : "s")\n\n")
                output.write(trace.answer + "\n")
                return trace
            }
        }
        return nil
    }

    private func startTicker() {
        guard Terminal.stderrIsTerminal else { return }
        ticker = Task { [weak self] in
            while !Task.isCancelled {
                self?.lock.withLock { self?.drawStatus() }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    private func stopTicker() {
        ticker?.cancel()
        ticker = nil
        lock.withLock { clearStatus() }
    }

    /// Call with the lock held.
    private func drawStatus() {
        guard ticker != nil, Terminal.stderrIsTerminal else { return }
        Terminal.error("\r\u{1B}[2KThinking… \(Int(Date().timeIntervalSince(started)))s")
        statusVisible = true
    }

    /// Call with the lock held.
    private func clearStatus() {
        guard statusVisible else { return }
        Terminal.error("\r\u{1B}[2K")
        statusVisible = false
    }
}
