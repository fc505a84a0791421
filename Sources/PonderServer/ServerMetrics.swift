import Foundation
import PonderCore
import Synchronization

/// Counters, gauges and a latency histogram, rendered as Prometheus text by hand.
public final class ServerMetrics: Sendable {
    /// Upper bounds of the latency histogram, in seconds.
    static let buckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]

    private struct State {
        var requests: [String: Int] = [:]       // "route|status"
        var sampledTokens = 0
        var promptTokens = 0
        var reasoningTokens = 0
        var disconnects = 0
        var bucketCounts = Array(repeating: 0, count: ServerMetrics.buckets.count)
        var latencySum = 0.0
        var latencyCount = 0
    }

    private let state = Mutex(State())
    private let engineLoad: (@Sendable () -> EngineLoad?)?

    /// Creates the metrics. The engine gauges come from the served model's `LanguageModel.load`;
    /// `engineLoad`, when given, is read instead (a test's fixed load).
    public init(engineLoad: (@Sendable () -> EngineLoad?)? = nil) {
        self.engineLoad = engineLoad
    }

    func recordRequest(route: String, status: Int, seconds: Double?) {
        state.withLock { state in
            state.requests["\(route)|\(status)", default: 0] += 1
            if let seconds {
                state.latencySum += seconds
                state.latencyCount += 1
                for (index, bound) in Self.buckets.enumerated() where seconds <= bound { state.bucketCounts[index] += 1 }
            }
        }
    }

    func addTokens(sampled: Int) { state.withLock { $0.sampledTokens += sampled } }
    func addPromptTokens(_ count: Int) { state.withLock { $0.promptTokens += count } }
    func addReasoningTokens(_ count: Int) { state.withLock { $0.reasoningTokens += count } }
    func recordDisconnect() { state.withLock { $0.disconnects += 1 } }

    /// Prometheus text exposition format; `modelLoad` is the served model's load, when it knows it.
    func render(running: Int, waiting: Int, connections: ConnectionCounter? = nil, modelLoad: EngineLoad? = nil) -> String {
        let snapshot = state.withLock { $0 }
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name)\(labels) \(value)") }
        }
        metric("ponder_requests_total", "counter", "HTTP requests by route and status.",
               snapshot.requests.sorted { $0.key < $1.key }.map { key, value in
                   let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
                   return ("{route=\"\(parts[0])\",status=\"\(parts[1])\"}", "\(value)")
               })
        metric("ponder_prompt_tokens_total", "counter", "Prompt tokens of answered requests.", [("", "\(snapshot.promptTokens)")])
        metric("ponder_completion_tokens_total", "counter", "Tokens sampled by the model (reasoning and answers).", [("", "\(snapshot.sampledTokens)")])
        metric("ponder_reasoning_tokens_total", "counter", "Hidden reasoning tokens of finished choices.", [("", "\(snapshot.reasoningTokens)")])
        metric("ponder_client_disconnects_total", "counter", "Requests cancelled because the client went away.", [("", "\(snapshot.disconnects)")])
        metric("ponder_requests_running", "gauge", "Requests generating now.", [("", "\(running)")])
        metric("ponder_queue_depth", "gauge", "Requests waiting for a generation slot.", [("", "\(waiting)")])
        if let connections {
            metric("ponder_connections_open", "gauge", "Client connections open now.", [("", "\(connections.openCount)")])
            metric("ponder_connections_refused_total", "counter", "Connections closed on arrival at --max-connections.",
                   [("", "\(connections.refused)")])
            metric("ponder_connections_header_timeouts_total", "counter", "Connections closed because no request header came in time.",
                   [("", "\(connections.timedOutCount)")])
        }
        let load: EngineLoad? = if let engineLoad { engineLoad() } else { modelLoad }
        if let load {
            metric("ponder_engine_active_sequences", "gauge", "Sequences the engine decodes now.", [("", "\(load.activeSequences)")])
            metric("ponder_engine_queued_requests", "gauge", "Requests waiting inside the engine.", [("", "\(load.queuedRequests)")])
            metric("ponder_engine_occupied_slots", "gauge", "Engine sequence slots holding cache cells.", [("", "\(load.occupiedSlots)")])
        }
        var histogram: [(String, String)] = []
        for (index, bound) in Self.buckets.enumerated() {
            histogram.append(("_bucket{le=\"\(bound.formatted0)\"}", "\(snapshot.bucketCounts[index])"))
        }
        histogram.append(("_bucket{le=\"+Inf\"}", "\(snapshot.latencyCount)"))
        histogram.append(("_sum", String(format: "%.6f", snapshot.latencySum)))
        histogram.append(("_count", "\(snapshot.latencyCount)"))
        metric("ponder_request_duration_seconds", "histogram", "Latency of generation requests, from arrival to the last byte.", histogram)
        return lines.joined(separator: "\n") + "\n"
    }
}
