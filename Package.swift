// swift-tools-version: 6.1
import PackageDescription

// Ponder: an o1-style reasoning engine. PonderCore is the shared vocabulary; every feature module
// depends on it, never the reverse. CLlama is built against the llama.cpp that `scripts/bootstrap`
// pins and builds (it writes the `ponder-llama` pkg-config file; see README).
let package = Package(
    name: "Ponder",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PonderCore", targets: ["PonderCore"]),
        .library(name: "PonderLlama", targets: ["PonderLlama"]),
        .library(name: "PonderReasoning", targets: ["PonderReasoning"]),
        .library(name: "PonderEval", targets: ["PonderEval"]),
        .library(name: "PonderSandbox", targets: ["PonderSandbox"]),
        .library(name: "PonderTools", targets: ["PonderTools"]),
        .library(name: "PonderRemote", targets: ["PonderRemote"]),
        .library(name: "PonderServer", targets: ["PonderServer"]),
        .library(name: "PonderTraining", targets: ["PonderTraining"]),
        .executable(name: "ponder", targets: ["ponder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
    ],
    targets: [
        .target(
            name: "PonderCore",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        .systemLibrary(name: "CLlama", pkgConfig: "ponder-llama"),
        .target(
            name: "PonderLlama",
            dependencies: ["PonderCore", "CLlama", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "PonderReasoning",
            dependencies: ["PonderCore", .product(name: "Logging", package: "swift-log")],
            resources: [.embedInCode("Prompts/instruct.v1.json"), .embedInCode("Prompts/thinking.v1.json")]
        ),
        .target(
            name: "PonderCLI",
            dependencies: [
                "PonderCore", "PonderLlama", "PonderReasoning", "PonderEval", "PonderSandbox", "PonderTools", "PonderRemote",
                "PonderServer", "PonderTraining",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "ponder", dependencies: ["PonderCLI"]),
        .testTarget(name: "PonderCoreTests", dependencies: ["PonderCore"]),
        .testTarget(name: "PonderLlamaTests", dependencies: ["PonderLlama", "PonderCore", "PonderTesting"]),
        .target(name: "PonderTesting", dependencies: ["PonderCore"]),
        .testTarget(name: "PonderReasoningTests", dependencies: ["PonderReasoning", "PonderCore", "PonderTesting"]),
        .testTarget(name: "PonderCLITests", dependencies: ["PonderCLI", "PonderSandbox", "PonderTools"]),
        .target(
            name: "PonderEval",
            dependencies: ["PonderCore", "PonderReasoning", "PonderSandbox", "PonderTools", .product(name: "GRDB", package: "GRDB.swift")],
            // The trusted code-grading harness, run in the sandbox as the job's main.py.
            resources: [.embedInCode("Harness/grade_harness.py")]
        ),
        .testTarget(name: "PonderEvalTests", dependencies: ["PonderEval", "PonderCore", "PonderTesting", "PonderReasoning", "PonderSandbox", "PonderTools", "PonderLlama",
                                                           "ponder-test-harness", .product(name: "GRDB", package: "GRDB.swift")]),
        // Runs untrusted code (model-written programs, HumanEval candidates) in a separate, limited process.
        .target(name: "PonderSandbox", dependencies: ["PonderCore"]),
        .testTarget(name: "PonderSandboxTests", dependencies: ["PonderSandbox", "PonderTesting", "ponder-test-harness"]),
        // Tools inside the reasoning: the exact calculator and the python tool, driven through steering.
        .target(
            name: "PonderTools",
            dependencies: ["PonderCore", "PonderReasoning", "PonderSandbox", .product(name: "BigInt", package: "BigInt")]
        ),
        .testTarget(name: "PonderToolsTests", dependencies: ["PonderTools", "PonderCore", "PonderReasoning", "PonderSandbox", "PonderTesting", "PonderLlama", "PonderEval"]),
        // Any OpenAI-compatible upstream (vLLM, SGLang, llama.cpp's server, Ollama, OpenAI) as a LanguageModel.
        .target(
            name: "PonderRemote",
            dependencies: [
                "PonderCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "PonderRemoteTests", dependencies: ["PonderRemote", "PonderCore", "PonderReasoning"]),
        // `ponder serve`: OpenAI's API shapes over Hummingbird 2, and the web chat.
        .target(
            name: "PonderServer",
            dependencies: [
                "PonderCore", "PonderReasoning",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Web")]
        ),
        .testTarget(
            name: "PonderServerTests",
            dependencies: ["PonderServer", "PonderCore", "PonderTesting", "PonderTools", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        // `ponder train`: STaR / rejection-sampling fine-tuning over any `TrainingBackend` (PonderCore's
        // seam; llama.cpp's is PonderLlama's `LlamaTrainingBackend`, which the CLI wires in).
        .target(
            name: "PonderTraining",
            dependencies: ["PonderCore", "PonderReasoning", "PonderEval", "PonderTools", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "PonderTrainingTests", dependencies: ["PonderTraining", "PonderCore", "PonderTesting", "PonderLlama",
                                                               "PonderTrainingTesting", "ponder-test-harness"]),
        // Tests only: the scripted training backend, and a program the kill and sharing tests run as
        // child processes (and SIGKILL at random instants).
        .target(name: "PonderTrainingTesting", dependencies: ["PonderTraining", "PonderTesting", "PonderCore", "PonderLlama"]),
        .executableTarget(
            name: "ponder-test-harness",
            dependencies: ["PonderTrainingTesting", "PonderTraining", "PonderEval", "PonderReasoning", "PonderTesting", "PonderCore",
                           "PonderServer", "PonderTools", "PonderSandbox"],
            path: "Tests/Harness"
        ),
        .testTarget(name: "PonderIntegrationTests", dependencies: ["PonderCore", "PonderLlama", "PonderReasoning", "PonderTesting"]),
        // The README's library example, compiled (never run) on every `swift test`; PonderReadmeTests
        // checks that it is the README's block byte for byte.
        .executableTarget(name: "ponder-readme-example", dependencies: ["PonderLlama", "PonderReasoning"], path: "Tests/ReadmeExample"),
        .testTarget(name: "PonderReadmeTests", dependencies: ["ponder-readme-example"]),
    ],
    swiftLanguageModes: [.v6]
)
