import Foundation
import PonderCore
import PonderEval
import PonderReasoning
import PonderSandbox
import PonderServer
import PonderTesting
import PonderTools
import PonderTraining
import PonderTrainingTesting
import Synchronization

/// A test-only program that the kill and sharing tests start as real child processes (and kill
/// with SIGKILL at random instants):
///
///     ponder-test-harness star DIR [--delay-ms N]          a STaR run over the scripted backend in DIR
///     ponder-test-harness eval DB RUN [--delay-ms N] [--count N]
///                                                         an eval session over a scripted model
///     ponder-test-harness serve-code MARKER              `ponder serve --allow-code-execution` on a
///                                                         loopback port over a scripted model whose
///                                                         chain runs a program that sleeps with MARKER
///                                                         in its command line (prints `port N`)
///     ponder-test-harness sandbox LEVEL FILE.py            FILE.py in the code sandbox at LEVEL
///                                                         (SandboxIsolation raw value), 60 s limits
///
/// Everything it does is seeded and independent of timing, so two runs write the same data.
/// It prints `started` when it begins, and one line at the end: `finished` (star) or `ran N`
/// (eval: questions answered here).
@main
struct Harness {
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let delay = option("--delay-ms", in: &arguments).map { Duration.milliseconds($0) } ?? .zero
        let count = option("--count", in: &arguments) ?? 12
        // Tests time their kills from this line (a process's launch time varies with the load).
        FileHandle.standardOutput.write(Data("started\n".utf8))
        do {
            switch arguments.first {
            case "star" where arguments.count == 2:
                try await star(directory: URL(fileURLWithPath: arguments[1]), delay: delay)
                print("finished")
            case "serve-code" where arguments.count == 2:
                try await serveCode(marker: arguments[1])
            case "eval" where arguments.count == 3:
                let ran = try await eval(database: arguments[1], run: arguments[2], count: count, delay: delay)
                print("ran \(ran)")
            case "sandbox" where arguments.count == 3:
                guard let isolation = SandboxIsolation(rawValue: arguments[1]) else { throw SandboxError.invalidFileName(arguments[1]) }
                let source = try String(contentsOfFile: arguments[2], encoding: .utf8)
                let result = try await Sandbox(limits: try SandboxLimits(wallSeconds: 60, cpuSeconds: 60), isolation: isolation)
                    .run(SandboxJob(program: .python(source)))
                print("ended \(result.termination.code)")
            default:
                FileHandle.standardError.write(Data(
                    "usage: ponder-test-harness star DIR | eval DB RUN [--delay-ms N] [--count N] | serve-code MARKER | sandbox LEVEL FILE.py\n".utf8))
                exit(2)
            }
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            exit(1)
        }
    }

    private static func option(_ name: String, in arguments: inout [String]) -> Int? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else {
            return nil
        }
        arguments.removeSubrange(index...(index + 1))
        return value
    }

    static func addition(_ id: String, _ a: Int, _ b: Int) -> EvalProblem {
        EvalProblem(id: id, question: "What is \(a) + \(b)?", expected: String(a + b), kind: .number)
    }

    /// Two rounds over 16 training and 6 held-out additions: the base solves even first operands,
    /// round 1's model solves all (accepted), round 2 cannot beat it (rejected).
    static func star(directory: URL, delay: Duration) async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let base = directory.appendingPathComponent("base.gguf")
        if !FileManager.default.fileExists(atPath: base.path) {
            try PartialFile.write(to: base.path) { try Data("GGUF scripted base".utf8).write(to: URL(fileURLWithPath: $0)) }
        }
        let train = (0..<16).map { addition("t\($0)", 10 + $0, 3 * $0 + 1) }
        let heldOut = (0..<6).map { addition("h\($0)", 50 + $0, 7 * $0 + 2) }
        let configuration = try StarConfiguration(
            baseModel: base.path, outputDirectory: directory.appendingPathComponent("run").path, rounds: 2, samples: 3,
            rationalizationSamples: 2, maxReasoningTokens: 32, seed: 7, fineTune: FineTuneSettings(replayShare: 0.5, seed: 7))
        let loop = try StarLoop(configuration: configuration, trainProblems: train, heldOut: heldOut,
                                backend: ScriptedTrainingBackend(delay: delay), processVerifier: TrainingVerifiers.arithmetic,
                                digests: ModelDigestCache(file: directory.appendingPathComponent("digests.json")))
        _ = try await loop.run()
    }

    /// `count` seeded additions under direct and cot, answered by a scripted model that is wrong
    /// when the sum is a multiple of 3. Returns the questions this process answered.
    static func eval(database: String, run: String, count: Int, delay: Duration) async throws -> Int {
        let problems = try ArithmeticGenerator(seed: 11).generate(count: count, options: ArithmeticOptions(digits: 2, operations: 1, operators: [.add]))
        let settings = [EvalSetting(strategy: .direct, effort: .low), EvalSetting(strategy: .cot, effort: .low)]
        let model = ScriptedModel { call in
            let sum = (call.lastUserMessage ?? "").split { !$0.isNumber }.compactMap { Int($0) }.reduce(0, +)
            return .init("Adding the numbers gives \(sum).\nAnswer: \(sum % 3 == 0 ? sum + 1 : sum)")
        }
        let runner = EvalRunner(reasoner: Reasoner(model: DelayedModel(base: model, delay: delay)), seed: 5)
        let info = EvalRunInfo(id: run, model: ModelIdentity(name: "scripted", digest: "sha256:scripted"), prompt: runner.reasoner.prompt.label,
                               dataset: "generated additions", seed: 5)
        let session = EvalSession(runner: runner, store: try EvalStore(path: database), info: info,
                                  claims: try ClaimPolicy(staleAfter: .seconds(10), heartbeat: .milliseconds(500), poll: .milliseconds(50)))
        let ran = Ran()
        _ = try await session.run(problems, settings: settings) { ran.value = $0.ranHere }
        return ran.value
    }
}

extension Harness {
    /// A real server with code execution allowed and the real sandbox; only the model is scripted:
    /// its chain writes a python block that replaces itself with a long sleep named by `marker`
    /// (so the host can find it with `pgrep -f`), and the server runs it in the sandbox.
    static func serveCode(marker: String) async throws {
        let program = "import os\nos.execv('/usr/bin/python3', ['python3', '-c', 'import time; time.sleep(60)', '\(marker)'])"
        let model = ScriptedModel { _ in .init("Let me run it.\n```python\n\(program)\n```\nAnswer: 1") }
        var configuration = try ServerConfiguration(port: 0, defaultEffort: .low)
        configuration.toolCatalog = BuiltInToolCatalog(codeRunner: SandboxCodeRunner(limits: try SandboxLimits(wallSeconds: 60, cpuSeconds: 60)))
        let server = PonderServer.buildApplication(configuration: configuration, model: model) { port in
            FileHandle.standardOutput.write(Data("port \(port)\n".utf8))
        }
        try await PonderServer.run(server)
    }
}

/// The last `ranHere` a progress callback saw.
private final class Ran: Sendable {
    private let stored = Mutex(0)
    var value: Int {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
