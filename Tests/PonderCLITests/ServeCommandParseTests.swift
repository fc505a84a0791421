import ArgumentParser
import Foundation
@testable import PonderCLI
import PonderReasoning
import Testing

@Suite struct ServeCommandParseTests {
    @Test func serveParsesEveryFlag() throws {
        let command = try PonderCommand.parseAsRoot([
            "serve", "--host", "0.0.0.0", "--port", "9000", "--api-key", "k", "--served-model-name", "smol", "--effort", "medium",
            "--max-body-bytes", "4096", "--max-n", "2", "--max-request-tokens", "512", "--max-concurrent", "3",
            "--queue-limit", "5", "--shutdown-grace", "1.5", "--model", "/tmp/m.gguf", "--threads", "1",
        ])
        let serve = try #require(command as? ServeCommand)
        let configuration = try serve.serverConfiguration(environment: [:])
        #expect(configuration.host == "0.0.0.0" && configuration.port == 9000 && configuration.apiKey == "k")
        #expect(configuration.modelName == "smol" && configuration.defaultEffort == .medium)
        #expect(configuration.maxBodyBytes == 4096 && configuration.maxChoices == 2 && configuration.maxTokensPerRequest == 512)
        #expect(configuration.maxConcurrentRequests == 3 && configuration.queueLimit == 5 && configuration.shutdownGraceSeconds == 1.5)
        #expect(serve.modelOptions.modelPath == "/tmp/m.gguf")
    }

    @Test func serveDefaultsToLoopbackAndReadsTheKeyFromTheEnvironment() throws {
        let serve = try #require(try PonderCommand.parseAsRoot(["serve"]) as? ServeCommand)
        let configuration = try serve.serverConfiguration(environment: ["PONDER_API_KEY": "from-env"])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.apiKey == "from-env")
        #expect(try serve.serverConfiguration(environment: [:]).apiKey == nil)
    }

    @Test func serveRejectsOutOfRangeLimits() {
        for arguments in [["--port", "70000"], ["--max-n", "0"], ["--queue-limit", "-1"], ["--max-body-bytes", "10"], ["--effort", "extreme"]] {
            #expect(throws: (any Error).self) { try PonderCommand.parseAsRoot(["serve"] + arguments) }
        }
    }
}
