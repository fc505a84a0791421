/// The number format of a model file's weights, whatever the runtime: training needs `.f32`, a
/// tuned model ships as `.q8_0` by default. The raw values are the names used on the command
/// line and in stored run configurations.
public enum WeightType: String, Sendable, Hashable, Codable, CaseIterable {
    /// 32-bit floats everywhere: what training needs.
    case f32
    /// 16-bit floats (1-D tensors stay F32).
    case f16
    /// 8-bit blocks (1-D tensors stay F32): the default for a tuned model.
    case q8_0 = "q8_0"
}
