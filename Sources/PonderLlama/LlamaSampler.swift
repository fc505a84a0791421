import CLlama
import PonderCore

/// Owns one llama.cpp sampler chain built from `SamplingParameters`: repetition penalty, top-k,
/// top-p, min-p, temperature, then a seeded draw (or greedy when the temperature is 0).
final class LlamaSampler {
    private let chain: UnsafeMutablePointer<llama_sampler>

    init(_ parameters: SamplingParameters, vocabularySize: Int, seed: UInt32) {
        var chainParams = llama_sampler_chain_default_params()
        chainParams.no_perf = true
        chain = llama_sampler_chain_init(chainParams)
        if parameters.repetitionPenalty != 1, parameters.repetitionWindow > 0 {
            llama_sampler_chain_add(chain, llama_sampler_init_penalties(
                Int32(vocabularySize), Int32(parameters.repetitionWindow), Float(parameters.repetitionPenalty), 0, 0))
        }
        if parameters.isGreedy {
            llama_sampler_chain_add(chain, llama_sampler_init_greedy())
            return
        }
        if parameters.topK > 0 { llama_sampler_chain_add(chain, llama_sampler_init_top_k(Int32(parameters.topK))) }
        if parameters.topP < 1 { llama_sampler_chain_add(chain, llama_sampler_init_top_p(Float(parameters.topP), 1)) }
        if parameters.minP > 0 { llama_sampler_chain_add(chain, llama_sampler_init_min_p(Float(parameters.minP), 1)) }
        llama_sampler_chain_add(chain, llama_sampler_init_temp(Float(parameters.temperature)))
        llama_sampler_chain_add(chain, llama_sampler_init_dist(seed))
    }

    deinit { llama_sampler_free(chain) }

    /// Samples (and accepts) the next token from the logits of batch output `index`.
    func sample(context: LlamaContext, index: Int32) -> Int32 {
        llama_sampler_sample(chain, context.pointer, index)
    }
}
