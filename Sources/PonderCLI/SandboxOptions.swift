import ArgumentParser
import Foundation
import PonderReasoning
import PonderSandbox
import PonderTools

/// The `--sandbox` choice on the command line.
enum SandboxLevel: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// The strongest level that isolates the filesystem, or a one-line refusal.
    case auto
    /// `SandboxIsolation.bubblewrap`.
    case bubblewrap
    /// `SandboxIsolation.namespaces`.
    case namespaces
    /// `SandboxIsolation.processOnly`: no isolation, with a warning.
    case process

    /// The library's level; nil for `auto`.
    var isolation: SandboxIsolation? {
        switch self {
        case .auto: return nil
        case .bubblewrap: return .bubblewrap
        case .namespaces: return .namespaces
        case .process: return .processOnly
        }
    }

    /// The command-line spelling of a library level.
    init(_ isolation: SandboxIsolation) {
        switch isolation {
        case .bubblewrap: self = .bubblewrap
        case .namespaces: self = .namespaces
        case .processOnly: self = .process
        }
    }
}

/// Where model-written code runs: `--sandbox auto|bubblewrap|namespaces|process` (docs/SECURITY.md).
/// Commands that run code build their sandbox from it at start, so a machine without isolation
/// fails once, in one line, instead of at every run.
struct SandboxOptions: ParsableArguments {
    @Option(name: .customLong("sandbox"), help: """
        Where model-written code runs: auto (the strongest level that isolates the filesystem, or refuse), \
        bubblewrap, namespaces, or process (no isolation; prints a warning).
        """)
    var level: SandboxLevel = .auto

    /// A validated sandbox with `limits` at the chosen level.
    /// - Throws: `SandboxError` in one line when the level cannot be set up here.
    func makeSandbox(limits: SandboxLimits = .standard) throws -> Sandbox {
        let sandbox = try Sandbox(limits: limits, isolation: level.isolation)
        if let warning = sandbox.warning { Terminal.error(warning + "\n") }
        return sandbox
    }

    /// The python tool's runner over a validated sandbox (`SandboxCodeRunner.defaultLimits`).
    func makeCodeRunner() throws -> SandboxCodeRunner {
        SandboxCodeRunner(sandbox: try makeSandbox(limits: SandboxCodeRunner.defaultLimits))
    }

    /// The tools of `selection`, with python over a sandbox built now (only when python is chosen).
    func toolUse(_ selection: ToolSelection, maxCallsPerChain: Int = 8) throws -> ToolUse {
        let runner = selection.names.contains(.python) ? try makeCodeRunner() : nil
        return try selection.toolUse(codeRunner: runner ?? SandboxCodeRunner(), maxCallsPerChain: maxCallsPerChain)
    }
}
