/// Errors from the local llama.cpp engine. Each prints as one line a person can act on.
public enum LlamaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No file at the given path.
    case modelNotFound(path: String)
    /// The file exists but cannot be read.
    case modelUnreadable(path: String)
    /// The file does not start with the GGUF magic bytes.
    case notGGUF(path: String)
    /// llama.cpp refused the file (truncated, unsupported architecture…); `detail` is its last log line.
    case modelLoadFailed(path: String, detail: String)
    /// Creating the inference context failed.
    case contextCreationFailed(detail: String)
    /// The model's chat template is missing or not one llama.cpp can apply.
    case unsupportedChatTemplate(String)
    /// A llama.cpp call returned an error code.
    case callFailed(call: String, code: Int32, detail: String)
    /// An engine configuration value is out of range.
    case invalidConfiguration(String)
    /// The engine was shut down while the request was queued or running.
    case engineStopped

    public var description: String {
        switch self {
        case .modelNotFound(let path):
            return "model file not found: \(path) (give a GGUF path with --model, or run scripts/bootstrap for the default model)"
        case .modelUnreadable(let path):
            return "model file is not readable: \(path) (check its permissions)"
        case .notGGUF(let path):
            return "not a GGUF model file: \(path) (it does not start with the GGUF magic bytes)"
        case let .modelLoadFailed(path, detail):
            return "llama.cpp could not load \(path)" + (detail.isEmpty ? " (the file may be truncated or of an unsupported architecture)" : ": \(detail)")
        case .contextCreationFailed(let detail):
            return "could not create the llama.cpp context" + (detail.isEmpty ? "" : ": \(detail)")
        case .unsupportedChatTemplate(let reason):
            return "cannot apply the model's chat template: \(reason)"
        case let .callFailed(call, code, detail):
            return "\(call) failed with code \(code)" + (detail.isEmpty ? "" : ": \(detail)")
        case .invalidConfiguration(let message):
            return "invalid engine configuration: \(message)"
        case .engineStopped:
            return "the engine was shut down"
        }
    }
}
