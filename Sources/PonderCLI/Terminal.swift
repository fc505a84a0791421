import Foundation

/// Unbuffered writes to standard output, for streaming text.
struct StandardOutput: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardOutput.write(Data(string.utf8))
    }
}

/// Small helpers for terminal output.
enum Terminal {
    /// Whether standard error is a terminal (live status lines are drawn only then).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    /// Whether standard output is a terminal (colour only then).
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func dim(_ text: String) -> String { stdoutIsTerminal ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    static func bold(_ text: String) -> String { stdoutIsTerminal ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    /// Text a tool forced into the reasoning: cyan on a terminal, marked with ⟦ ⟧ otherwise.
    static func tool(_ text: String) -> String { stdoutIsTerminal ? "\u{1B}[36m\(text)\u{1B}[0m" : "⟦\(text)⟧" }
}
