import Foundation
import Synchronization

/// The `ponder-test-harness` program (a test-only executable target) run as a real child
/// process: tests start it, SIGKILL it at chosen instants, or run several at once on shared files.
///
/// ```swift
/// let child = try HarnessProcess.start(["star", directory.path])
/// try await Task.sleep(for: .milliseconds(300))
/// child.kill()
/// let result = child.wait()   // result.signalled == true
/// ```
public final class HarnessProcess: Sendable {
    /// How a child ended.
    public struct Result: Sendable {
        /// The exit code, or the signal number when `signalled`.
        public var status: Int32
        /// Whether a signal ended it (a kill).
        public var signalled: Bool
        /// Everything it printed on standard output.
        public var output: String
        /// Everything it printed on standard error.
        public var errors: String
    }

    private let process: Process
    private let output: Pipe
    private let errors: Pipe
    /// Standard output already read by `waitUntilStarted`.
    private let early = Mutex(Data())

    private init(process: Process, output: Pipe, errors: Pipe) {
        self.process = process
        self.output = output
        self.errors = errors
    }

    /// The harness built beside the running test binary (SwiftPM builds it because the test target
    /// depends on it), or nil when it cannot be found.
    public static var executable: URL? {
        var folders: [URL] = []
        if let main = Bundle.main.executableURL { folders.append(main.deletingLastPathComponent()) }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for folder in folders {
            var candidate = folder
            // On macOS the test binary sits inside `X.xctest/Contents/MacOS`.
            for _ in 0..<4 {
                let url = candidate.appendingPathComponent("ponder-test-harness")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
                candidate = candidate.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// Starts the harness with `arguments`.
    /// - Throws: `HarnessError.notBuilt` when the program is missing, or what `Process.run` throws.
    public static func start(_ arguments: [String]) throws -> HarnessProcess {
        guard let executable else { throw HarnessError.notBuilt }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return HarnessProcess(process: process, output: output, errors: errors)
    }

    /// The child's process id.
    public var pid: Int32 { process.processIdentifier }

    /// Blocks until the child has printed its `started` line (it is loaded and about to work), so
    /// a test can time kills from the start of the work rather than of the process, whose launch
    /// time varies with the machine's load. Returns false when the child ended first.
    public func waitUntilStarted() -> Bool {
        var seen = Data()
        let marker = Data("started\n".utf8)
        while seen.range(of: marker) == nil {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        early.withLock { $0.append(seen) }
        return seen.range(of: marker) != nil
    }

    /// Sleeps `seconds` on the calling thread, then sends SIGKILL. The sleep blocks on purpose: the
    /// OS wakes the thread on time, where a `Task.sleep` waits for a free thread of the
    /// cooperative pool, which other tests may be holding, and the kill would land late.
    public func kill(afterSeconds seconds: Double) {
        Thread.sleep(forTimeInterval: seconds)
        kill()
    }

    /// Sends SIGKILL (a kill at an arbitrary instant: no handler runs, nothing is flushed).
    public func kill() {
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
    }

    /// Waits for the child to end and collects its output.
    public func wait() -> Result {
        let printed = early.withLock { $0 } + output.fileHandleForReading.readDataToEndOfFile()
        let complained = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                      output: String(decoding: printed, as: UTF8.self), errors: String(decoding: complained, as: UTF8.self))
    }
}

/// The harness cannot be run.
public enum HarnessError: Error, CustomStringConvertible {
    /// The program was not built beside the tests.
    case notBuilt

    public var description: String {
        "ponder-test-harness was not found beside the test binary: build the tests with swift build --build-tests"
    }
}
