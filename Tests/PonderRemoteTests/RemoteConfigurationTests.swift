import Testing
@testable import PonderRemote

@Suite struct RemoteConfigurationTests {
    @Test func baseURLIsNormalised() throws {
        #expect(try RemoteConfiguration(baseURL: "http://127.0.0.1:8080").baseURL.absoluteString == "http://127.0.0.1:8080/v1")
        #expect(try RemoteConfiguration(baseURL: "https://api.openai.com/v1/").endpoint("models") == "https://api.openai.com/v1/models")
        #expect(try RemoteConfiguration(baseURL: "http://h:1/v1").serverRoot == "http://h:1")
    }

    @Test(arguments: ["localhost:8080", "ftp://h/v1", "http://", "not a url", "http://h/v1?x=1", "http://h:99999/v1"])
    func malformedBaseURLsAreRefused(_ url: String) {
        #expect(throws: RemoteError.self) { _ = try RemoteConfiguration(baseURL: url) }
    }

    @Test func emptyKeyModelAndBadTimeoutAreRefused() {
        #expect(throws: RemoteError.self) { _ = try RemoteConfiguration(baseURL: "http://h/v1", apiKey: " ") }
        #expect(throws: RemoteError.self) { _ = try RemoteConfiguration(baseURL: "http://h/v1", model: "") }
        #expect(throws: RemoteError.self) { _ = try RemoteConfiguration(baseURL: "http://h/v1", requestTimeout: 0) }
    }

    @Test func errorMessagesAreOneLine() {
        let errors: [RemoteError] = [
            .unreachable(url: "http://h/v1/models", detail: "connection refused"),
            .unauthorized(status: 401, message: "Invalid API Key"),
            .upstream(status: 500, message: RemoteError.oneLine("boom\nat line 2")),
            .malformedStream("an event is not a JSON chunk"),
            .modelNotFound(requested: "x", available: ["a", "b"]),
        ]
        for error in errors {
            #expect(!error.description.contains("\n") && !error.description.isEmpty)
        }
    }
}
