import Foundation
import PonderCore
@testable import PonderLlama
import Testing

@Suite struct BadInputTests {
    @Test func missingModelFile() {
        #expect(throws: LlamaError.modelNotFound(path: "/nonexistent/model.gguf")) {
            _ = try LlamaModel(path: "/nonexistent/model.gguf")
        }
    }

    @Test func directoryIsNotAModel() throws {
        let directory = try TestEngine.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: LlamaError.modelNotFound(path: directory.path)) { _ = try LlamaModel(path: directory.path) }
    }

    @Test func fileThatIsNotGGUF() throws {
        let directory = try TestEngine.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("notes.gguf")
        try Data("just some text, not a model".utf8).write(to: file)
        #expect(throws: LlamaError.notGGUF(path: file.path)) { _ = try LlamaModel(path: file.path) }
    }

    @Test func truncatedGGUF() throws {
        let directory = try TestEngine.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("truncated.gguf")
        let handle = try #require(FileHandle(forReadingAtPath: DefaultModel.path))
        let head = try #require(try handle.read(upToCount: 3_000_000))
        try handle.close()
        try head.write(to: file)
        #expect {
            _ = try LlamaModel(path: file.path)
        } throws: { error in
            guard case LlamaError.modelLoadFailed = error else { return false }
            return !"\(error)".contains("\n")
        }
    }

    @Test func promptLongerThanTheContext() async throws {
        let engine = try LlamaEngine(configuration: TestEngine.configuration(contextLength: 64, maxSequences: 1))
        let long = String(repeating: "word ", count: 2000)
        let cells = engine.info.contextLength   // llama.cpp rounds the requested 64 up to its padding
        #expect(cells < 2000)
        await #expect {
            _ = try await engine.complete(.chat([.user(long)]))
        } throws: { error in
            guard case PonderError.contextFull(let prompt, let context) = error else { return false }
            return prompt > cells && context == cells
        }
    }

    @Test func tooManyParallelSequences() async throws {
        let request = try GenerationRequest.chat([.user("Hi")], count: 9)
        await #expect(throws: PonderError.tooManySequences(requested: 9, limit: 8)) {
            _ = try await TestEngine.shared.complete(request)
        }
    }

    @Test func invalidEngineConfiguration() {
        #expect(throws: LlamaError.self) { try LlamaEngineConfiguration(modelPath: "x", maxSequences: 0) }
        #expect(throws: LlamaError.self) { try LlamaEngineConfiguration(modelPath: "x", threads: 0) }
        #expect(throws: LlamaError.self) { try LlamaEngineConfiguration(modelPath: "x", contextLength: 8) }
    }

    @Test func outOfVocabularyPromptToken() async throws {
        let request = try GenerationRequest(prompt: .tokens([1, 2, -5]))
        await #expect(throws: PonderError.self) { _ = try await TestEngine.shared.complete(request) }
    }
}
