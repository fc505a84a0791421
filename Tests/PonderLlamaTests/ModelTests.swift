import Foundation
import PonderCore
@testable import PonderLlama
import Testing

@Suite struct ModelTests {
    @Test func modelFacts() {
        let info = TestEngine.shared.info
        #expect(info.architecture == "llama")
        #expect((130_000_000...140_000_000).contains(info.parameterCount ?? 0))
        #expect(info.trainedContextLength == 8192)
        #expect(info.contextLength == 4096)
        #expect(info.chatTemplate?.contains("<|im_start|>") == true)
        #expect(info.specialTokens["eos"] == "<|im_end|>")
    }

    @Test func chatMLGolden() throws {
        let rendered = try TestEngine.model.applyChatTemplate([.system("Be brief."), .user("What is 2 + 2?")])
        #expect(rendered == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is 2 + 2?<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func chatMLGoldenMultiTurnWithoutAssistantPrompt() throws {
        let rendered = try TestEngine.model.applyChatTemplate(
            [.user("Hi"), .assistant("Hello!"), .user("Bye")], addAssistantPrompt: false)
        #expect(rendered == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n")
    }

    @Test func unknownTemplateIsAClearError() {
        #expect {
            _ = try TestEngine.model.applyChatTemplate([.user("Hi")], template: "{{ made_up_template(messages) }}")
        } throws: { error in
            guard case LlamaError.unsupportedChatTemplate = error else { return false }
            return !"\(error)".contains("\n")
        }
    }

    @Test func emptyMessagesForTemplate() {
        #expect(throws: PonderError.emptyMessages) { try TestEngine.model.applyChatTemplate([]) }
    }

    @Test func tokenizeRoundTripsUnicode() throws {
        let model = TestEngine.model
        for text in ["Hello, world!", "你好，世界", "emoji 👍🏽 and café", "  spaces\n\nand lines"] {
            let tokens = try model.tokenize(text)
            #expect(!tokens.isEmpty)
            #expect(model.detokenize(tokens) == text)
        }
    }

    @Test func specialTokensAreParsedOnlyWhenAsked() throws {
        let model = TestEngine.model
        let parsed = try model.tokenize("<|im_end|>", parseSpecial: true)
        #expect(parsed.count == 1)
        #expect(model.isEndOfGeneration(parsed[0]))
        let plain = try model.tokenize("<|im_end|>", parseSpecial: false)
        #expect(plain.count > 1)
    }

    @Test func piecesOfAMultibyteCharacterAreBytes() throws {
        let model = TestEngine.model
        let tokens = try model.tokenize("👍🏽")
        let bytes = tokens.flatMap { model.piece($0) }
        #expect(bytes == Array("👍🏽".utf8))
    }
}
