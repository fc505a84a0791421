import Foundation

/// What to run in the sandbox.
public enum SandboxProgram: Sendable, Hashable {
    /// Python source, written to `main.py` in the sandbox directory and run with `python3 -I`.
    case python(String)
    /// Any executable (by absolute path) with arguments, run in the sandbox directory.
    case executable(path: String, arguments: [String])
}

/// One run of untrusted code: the program, its standard input, and extra files placed next to it.
///
/// ```swift
/// let job = SandboxJob(program: .python("print(input()[::-1])"), stdin: "olleh\n")
/// let result = try await Sandbox().run(job)   // result.stdout == "hello\n"
/// ```
public struct SandboxJob: Sendable, Hashable {
    /// The program to run.
    public var program: SandboxProgram
    /// Bytes given on standard input (then it is closed).
    public var stdin: Data
    /// Files written into the fresh working directory before the run: plain names to contents.
    public var files: [String: Data]

    /// Builds a job; `stdin` and file contents given as strings are UTF-8 encoded.
    public init(program: SandboxProgram, stdin: String = "", files: [String: String] = [:]) {
        self.program = program
        self.stdin = Data(stdin.utf8)
        self.files = files.mapValues { Data($0.utf8) }
    }

    /// Builds a job from raw bytes.
    public init(program: SandboxProgram, stdinData: Data, fileData: [String: Data]) {
        self.program = program
        self.stdin = stdinData
        self.files = fileData
    }
}
