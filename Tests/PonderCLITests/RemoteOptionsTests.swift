import ArgumentParser
import Foundation
@testable import PonderCLI
import PonderRemote
import Testing

@Suite struct RemoteOptionsTests {
    @Test func askParsesTheRemoteBackendFlags() throws {
        let command = try PonderCommand.parseAsRoot([
            "ask", "hi", "--backend", "openai", "--base-url", "http://127.0.0.1:8080", "--backend-api-key", "k", "--model", "qwen",
        ])
        let ask = try #require(command as? AskCommand)
        #expect(ask.modelOptions.backend == .openai)
        let remote = try ask.modelOptions.remoteConfiguration(environment: [:])
        #expect(remote.baseURL.absoluteString == "http://127.0.0.1:8080/v1" && remote.apiKey == "k" && remote.model == "qwen")
        #expect(throws: (any Error).self) { _ = try ask.modelOptions.engineConfiguration() }
    }

    @Test func apiKeyComesFromTheEnvironmentWhenNotGiven() throws {
        let command = try PonderCommand.parseAsRoot(["chat", "--backend", "openai", "--base-url", "http://h:1/v1"])
        let chat = try #require(command as? ChatCommand)
        #expect(try chat.modelOptions.remoteConfiguration(environment: ["PONDER_BACKEND_API_KEY": "env-key"]).apiKey == "env-key")
        #expect(try chat.modelOptions.remoteConfiguration(environment: [:]).apiKey == nil)
    }

    @Test(arguments: [
        (["ask", "hi", "--base-url", "http://h/v1"], "--base-url needs --backend openai"),
        (["ask", "hi", "--backend-api-key", "k"], "--backend-api-key needs --backend openai"),
        (["ask", "hi", "--backend", "openai"], "needs --base-url"),
        (["ask", "hi", "--backend", "openai", "--base-url", "localhost:8080"], "invalid base URL"),
        (["eval", "--generate", "arithmetic", "--backend", "openai", "--base-url", "http://h/v1", "--context", "512"], "--context"),
        (["ask", "hi", "--backend", "cloud"], "cloud"),
    ])
    func badCombinationsAreUsageErrors(_ arguments: [String], _ message: String) {
        do {
            _ = try PonderCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) should be refused")
        } catch {
            let text = PonderCommand.message(for: error)
            #expect(text.contains(message), "\(text)")
            #expect(PonderCommand.exitCode(for: error) == .validationFailure)
        }
    }
}
