import Foundation
import PonderCore
import Testing
@testable import PonderRemote

@Suite struct RequestMapperTests {
    let sampling = try! SamplingParameters(temperature: 0.7, topP: 0.9, topK: 40, minP: 0.05, repetitionPenalty: 1.1,
                                           repetitionWindow: 32, seed: 7, maxTokens: 64, stop: ["a", "b", "c", "d", "e"])

    @Test func chatMapsEverySamplingFieldForLlamaServer() throws {
        let mapper = RequestMapper(flavor: .llamaServer, model: "m")
        let request = try mapper.request(prompt: .chat([.system("s"), .user("u")]), sampling: sampling, maxTokens: 50,
                                         seed: 9, count: 3, topLogprobs: 0, stop: sampling.stop)
        let json = request.json
        #expect(request.path == "chat/completions")
        #expect(json["model"] as? String == "m" && json["stream"] as? Bool == true)
        #expect((json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        #expect((json["messages"] as? [[String: String]]) == [["role": "system", "content": "s"], ["role": "user", "content": "u"]])
        #expect(json["n"] as? Int == 3 && json["max_tokens"] as? Int == 50 && json["seed"] as? Int == 9)
        #expect(json["temperature"] as? Double == 0.7 && json["top_p"] as? Double == 0.9)
        #expect(json["top_k"] as? Int == 40 && json["min_p"] as? Double == 0.05)
        #expect(json["repeat_penalty"] as? Double == 1.1 && json["repeat_last_n"] as? Int == 32)
        #expect(json["stop"] as? [String] == ["a", "b", "c", "d", "e"])
        #expect(json["logprobs"] as? Bool == true && json["top_logprobs"] as? Int == 1)
        #expect(json["reasoning_format"] as? String == "none")
    }

    @Test func openAIGetsOnlyItsOwnFields() throws {
        let mapper = RequestMapper(flavor: .openai, model: "gpt-x")
        let json = try mapper.request(prompt: .chat([.user("u")]), sampling: sampling, maxTokens: 10, seed: 1,
                                      topLogprobs: 20, stop: sampling.stop).json
        #expect(json["max_completion_tokens"] as? Int == 10 && json["max_tokens"] == nil)
        #expect(json["stop"] as? [String] == ["a", "b", "c", "d"])
        #expect(json["top_logprobs"] as? Int == 20)
        for key in ["top_k", "min_p", "repeat_penalty", "repetition_penalty", "reasoning_format", "n", "continue_final_message"] {
            #expect(json[key] == nil, "unexpected \(key)")
        }
    }

    @Test func vllmUsesRepetitionPenaltyAndNoLogprobsWhenNotAsked() throws {
        let json = try RequestMapper(flavor: .vllm, model: "m").request(prompt: .chat([.user("u")]), sampling: sampling,
                                                                        maxTokens: 5, seed: 0).json
        #expect(json["repetition_penalty"] as? Double == 1.1 && json["repeat_penalty"] == nil)
        #expect(json["logprobs"] == nil && json["top_logprobs"] == nil && json["stop"] == nil)
    }

    @Test func continuationPrefillPerFlavor() throws {
        let prompt = Prompt.continuation([.user("u")], assistantPrefix: "<think>\n")
        let vllm = try RequestMapper(flavor: .vllm, model: "m").request(prompt: prompt, sampling: .greedy, maxTokens: 5, seed: 0).json
        #expect((vllm["messages"] as? [[String: String]])?.last == ["role": "assistant", "content": "<think>\n"])
        #expect(vllm["continue_final_message"] as? Bool == true && vllm["add_generation_prompt"] as? Bool == false)

        let ollama = try RequestMapper(flavor: .ollama, model: "m").request(prompt: prompt, sampling: .greedy, maxTokens: 5, seed: 0).json
        #expect((ollama["messages"] as? [[String: String]])?.last == ["role": "assistant", "content": "<think>\n"])
        #expect(ollama["continue_final_message"] == nil)

        let openai = try RequestMapper(flavor: .openai, model: "m").request(prompt: prompt, sampling: .greedy, maxTokens: 5, seed: 0).json
        let messages = openai["messages"] as? [[String: String]] ?? []
        #expect(messages.count == 3 && messages[1]["role"] == "assistant" && messages[2] == ["role": "user", "content": RequestMapper.continueInstruction])
    }

    @Test func textAndTokenPromptsUseCompletions() throws {
        let mapper = RequestMapper(flavor: .llamaServer, model: "m")
        let text = try mapper.request(prompt: .text("Once"), sampling: .greedy, maxTokens: 5, seed: 0, topLogprobs: 3)
        #expect(text.path == "completions" && text.json["prompt"] as? String == "Once" && text.json["logprobs"] as? Int == 3)
        let tokens = try mapper.request(prompt: .tokens([1, 2, 3]), sampling: .greedy, maxTokens: 5, seed: 0)
        #expect(tokens.path == "completions" && tokens.json["prompt"] as? [Int] == [1, 2, 3])
        #expect(throws: RemoteError.unsupported(feature: "prompts of token ids", flavor: .openai)) {
            _ = try RequestMapper(flavor: .openai, model: "m").request(prompt: .tokens([1]), sampling: .greedy, maxTokens: 5, seed: 0)
        }
    }

    @Test func parallelSamplesRefusedWhereTheUpstreamHasNoN() {
        #expect(throws: RemoteError.self) {
            _ = try RequestMapper(flavor: .ollama, model: "m").request(prompt: .chat([.user("u")]), sampling: .greedy,
                                                                       maxTokens: 5, seed: 0, count: 2)
        }
    }

    @Test func flavorDetection() {
        #expect(UpstreamFlavor.detect(ownedBy: "llamacpp", host: "127.0.0.1") == .llamaServer)
        #expect(UpstreamFlavor.detect(ownedBy: "vllm", host: "gpu1") == .vllm)
        #expect(UpstreamFlavor.detect(ownedBy: "library", host: "localhost") == .ollama)
        #expect(UpstreamFlavor.detect(ownedBy: "system", host: "api.openai.com") == .openai)
        #expect(UpstreamFlavor.detect(ownedBy: nil, host: "example.org") == .generic)
    }
}
