import Foundation
import Hummingbird
import HummingbirdTesting
import PonderCore
import PonderReasoning
@testable import PonderServer
import PonderTesting
import Testing

/// The server knows tools only through the `ToolCatalog` it is handed.
@Suite struct ToolCatalogTests {
    /// A catalog with one made-up tool, to show the server asks the catalog rather than knowing names.
    struct EchoCatalog: ToolCatalog {
        struct Echo: ReasoningTool {
            final class Silent: ToolSession {
                func invocation(after text: String, inAnswer: Bool) -> ToolInvocation? { nil }
            }
            var name: String { "echo" }
            var invitation: String { "Write echo: followed by text to hear it again." }
            func makeSession() -> any ToolSession { Silent() }
        }
        var toolNames: [String] { ["echo"] }
        func check(_ name: String) throws(ToolRefusal) {
            guard name == "echo" else { throw .unknownTool(name: name, known: toolNames) }
        }
        func toolUse(names: [String]?) throws -> ToolUse {
            for name in names ?? [] { try check(name) }
            guard let names, !names.isEmpty else { return .none }
            return try ToolUse(tools: [Echo()])
        }
    }

    func server(_ catalog: any ToolCatalog) throws -> ServerApplication {
        var configuration = try ServerConfiguration(port: 0, defaultEffort: .low)
        configuration.toolCatalog = catalog
        return PonderServer.buildApplication(configuration: configuration, model: arithmeticModel())
    }

    @Test func unknownToolsAreListedFromTheCatalog() async throws {
        let body = json(["messages": [["role": "user", "content": "What is 2 + 2?"]], "ponder": ["tools": ["calculator"]]])
        try await server(EchoCatalog()).application.test(.router) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                #expect(response.status == .badRequest)
                let error = try apiError(response)
                #expect(error["param"] as? String == "ponder.tools")
                #expect(error["code"] as? String == "invalid_value")
                #expect(error["message"] as? String == "Unknown tool 'calculator' in 'ponder.tools'. Known: echo.")
            }
        }
    }

    @Test func aToolOfTheCatalogIsAccepted() async throws {
        let body = json(["messages": [["role": "user", "content": "What is 2 + 2?"]], "ponder": ["tools": ["echo"]]])
        try await server(EchoCatalog()).application.test(.router) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func theDefaultConfigurationOffersNoTools() async throws {
        let configuration = try ServerConfiguration(port: 0)
        #expect(configuration.toolCatalog.toolNames.isEmpty)
        #expect(try configuration.toolCatalog.toolUse(names: nil).tools.isEmpty)
        let body = json(["messages": [["role": "user", "content": "What is 2 + 2?"]]])
        try await server(EmptyToolCatalog()).application.test(.router) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func refusalsRenderAsBefore() {
        let disabled = APIError.refused(.codeExecutionDisabled(name: "python"))
        #expect(disabled.status == .badRequest)
        #expect(disabled.param == "ponder.tools")
        #expect(disabled.code == "code_execution_disabled")
        #expect(disabled.message == "Code execution is disabled on this server: the 'python' tool runs only when the operator starts it with 'ponder serve --allow-code-execution'.")
        let unknown = APIError.refused(.unknownTool(name: "shell", known: ["calculator", "python"]))
        #expect(unknown.message == "Unknown tool 'shell' in 'ponder.tools'. Known: calculator, python.")
        #expect(unknown.code == "invalid_value")
    }
}
