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
        .executable(name: "ponder", targets: ["ponder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
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
            dependencies: ["PonderCore", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "PonderCLI",
            dependencies: [
                "PonderCore", "PonderLlama", "PonderReasoning", "PonderEval",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "ponder", dependencies: ["PonderCLI"]),
        .testTarget(name: "PonderCoreTests", dependencies: ["PonderCore"]),
        .testTarget(name: "PonderLlamaTests", dependencies: ["PonderLlama", "PonderCore"]),
        .target(name: "PonderTesting", dependencies: ["PonderCore"]),
        .testTarget(name: "PonderReasoningTests", dependencies: ["PonderReasoning", "PonderCore", "PonderTesting"]),
        .testTarget(name: "PonderCLITests", dependencies: ["PonderCLI"]),
        .target(name: "PonderEval", dependencies: ["PonderCore", "PonderReasoning"]),
        .testTarget(name: "PonderEvalTests", dependencies: ["PonderEval", "PonderCore"]),
        .testTarget(name: "PonderIntegrationTests", dependencies: ["PonderCore", "PonderLlama", "PonderReasoning"]),
    ],
    swiftLanguageModes: [.v6]
)
