/// A stable 64-bit FNV-1a hash of a prompt, as 16 hex digits. Not cryptographic: it only tells
/// whether a stored result was produced from the same question text.
public enum PromptHash {
    /// The hash of `text`'s UTF-8 bytes.
    public static func of(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
