import CLlama
import Foundation
import PonderCore

extension WeightType {
    /// The llama.cpp file type `llama_model_quantize` writes for this weight type.
    var ftype: llama_ftype {
        switch self {
        case .f32: return LLAMA_FTYPE_ALL_F32
        case .f16: return LLAMA_FTYPE_MOSTLY_F16
        case .q8_0: return LLAMA_FTYPE_MOSTLY_Q8_0
        }
    }
}

/// Converts GGUF files between weight types with `llama_model_quantize` (which also dequantizes, so a
/// Q4_1 model becomes F32 for training), and repairs the metadata `llama_model_save_to_file` drops.
public enum LlamaModelConverter {
    /// Writes `input` as `output` with weights of `type`, through `<output>.partial` renamed into
    /// place (`PartialFile`), so a kill leaves the old output or the whole new one.
    /// - Throws: `LlamaError` when the input is not a readable GGUF or llama.cpp fails (an
    ///   unsupported architecture, a full disk); the partial output is removed.
    public static func convert(input: String, output: String, to type: WeightType,
                               threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        try LlamaModel.checkFile(input)
        LlamaBackend.ready
        LlamaBackend.clearRecentProblems()
        var params = llama_model_quantize_default_params()
        params.nthread = Int32(threads)
        params.ftype = type.ftype
        params.allow_requantize = true
        try PartialFile.write(to: output) { partial in
            let code = llama_model_quantize(input, partial, &params)
            guard code == 0 else {
                let detail = LlamaBackend.takeRecentProblems()
                throw LlamaError.callFailed(call: "llama_model_quantize", code: Int32(bitPattern: code),
                                            detail: "could not convert \(input) to \(type.rawValue)" + (detail.isEmpty ? "" : ": \(detail)"))
            }
            try LlamaModel.checkFile(partial)
        }
    }

    /// Rewrites the GGUF at `path` with metadata keys it lacks copied from `reference` (the model
    /// it was trained from), and the reference's context length: llama.cpp's saver leaves out the
    /// chat template and records the training window as the context length.
    /// - Throws: `LlamaError.callFailed` when a file cannot be read or written; `path` is replaced
    ///   only once the new file is complete.
    public static func restoreMetadata(in path: String, from reference: String) throws {
        try LlamaModel.checkFile(path)
        try LlamaModel.checkFile(reference)
        LlamaBackend.ready
        guard let referenceInfo = gguf_init_from_file(reference, gguf_init_params(no_alloc: true, ctx: nil)) else {
            throw LlamaError.callFailed(call: "gguf_init_from_file", code: -1, detail: "cannot read the metadata of \(reference)")
        }
        defer { gguf_free(referenceInfo) }
        var tensors: OpaquePointer?
        // gguf keeps the pointer only for the call, which writes the tensors' context through it.
        let opened = withUnsafeMutablePointer(to: &tensors) { gguf_init_from_file(path, gguf_init_params(no_alloc: false, ctx: $0)) }
        guard let target = opened, let tensors else {
            throw LlamaError.callFailed(call: "gguf_init_from_file", code: -1, detail: "cannot read \(path)")
        }
        defer { gguf_free(target); ggml_free(tensors) }
        guard let merged = gguf_init_empty() else {
            throw LlamaError.callFailed(call: "gguf_init_empty", code: -1, detail: "out of memory")
        }
        defer { gguf_free(merged) }
        gguf_set_kv(merged, referenceInfo)   // everything the reference has…
        gguf_set_kv(merged, target)          // …overridden by what the tuned file says
        let architectureKey = gguf_find_key(referenceInfo, "general.architecture")
        if architectureKey >= 0 {
            let architecture = String(cString: gguf_get_val_str(referenceInfo, architectureKey))
            let key = "\(architecture).context_length"
            let id = gguf_find_key(referenceInfo, key)
            if id >= 0, gguf_get_kv_type(referenceInfo, id) == GGUF_TYPE_UINT32 {
                gguf_set_val_u32(merged, key, gguf_get_val_u32(referenceInfo, id))
            }
        }
        for index in 0..<gguf_get_n_tensors(target) {
            guard let name = gguf_get_tensor_name(target, index), let tensor = ggml_get_tensor(tensors, name) else {
                throw LlamaError.callFailed(call: "ggml_get_tensor", code: -1, detail: "\(path) lost a tensor while reading")
            }
            gguf_add_tensor(merged, tensor)
        }
        try PartialFile.write(to: path) { partial in
            guard gguf_write_to_file(merged, partial, false) else {
                throw LlamaError.callFailed(call: "gguf_write_to_file", code: -1, detail: "cannot write \(partial) (is the disk full?)")
            }
        }
    }
}
