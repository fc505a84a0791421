import CLlama
import Foundation
import Logging
import Synchronization

/// Process-wide llama.cpp state: the backend is initialised exactly once, and llama.cpp's log is
/// routed to swift-log (debug level) while its recent warnings and errors are kept so that a failed
/// call can say why.
enum LlamaBackend {
    /// Touch this before any other llama.cpp call; initialisation runs once per process.
    static let ready: Void = {
        llama_log_set(llamaLogCallback, nil)
        llama_backend_init()
    }()

    static let logger = Logger(label: "ponder.llama")
    private static let recentProblems = Mutex<[String]>([])

    /// Records a warning or error line from llama.cpp.
    static func remember(_ line: String) {
        recentProblems.withLock { lines in
            lines.append(line)
            if lines.count > 8 { lines.removeFirst(lines.count - 8) }
        }
    }

    /// Returns the problems logged since the last call and forgets them.
    static func takeRecentProblems() -> String {
        recentProblems.withLock { lines in
            defer { lines.removeAll() }
            return lines.joined(separator: "; ")
        }
    }

    /// Clears remembered problems before a call whose failure we may need to explain.
    static func clearRecentProblems() { _ = takeRecentProblems() }
}

private func llamaLogCallback(level: ggml_log_level, text: UnsafePointer<CChar>?, _: UnsafeMutableRawPointer?) {
    guard let text else { return }
    let line = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    guard !line.isEmpty else { return }
    switch level {
    case GGML_LOG_LEVEL_ERROR, GGML_LOG_LEVEL_WARN:
        LlamaBackend.remember(line)
        LlamaBackend.logger.debug("\(line)")
    default:
        LlamaBackend.logger.trace("\(line)")
    }
}
