/// Reads small numbers written as English words: `zero` to `nineteen`, the tens, and tens with a
/// unit (`twenty-five`, `twenty five`). Used only where an answer has no digits at all.
enum NumberWords {
    private static let units = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    private static let tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

    /// The first number word in `text`; when `whole` is true, `text` must hold nothing but that
    /// number (and punctuation).
    static func value(in text: some StringProtocol, whole: Bool) -> Int? {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        guard !words.isEmpty else { return nil }
        for index in words.indices {
            guard let (value, used) = read(words, at: index) else {
                if whole { return nil }
                continue
            }
            return !whole || used == words.count ? value : nil
        }
        return nil
    }

    private static func read(_ words: [String], at index: Int) -> (value: Int, used: Int)? {
        if let unit = units.firstIndex(of: words[index]) { return (unit, 1) }
        guard let ten = tens.firstIndex(of: words[index]) else { return nil }
        let value = 20 + 10 * ten
        if index + 1 < words.count, let unit = units.firstIndex(of: words[index + 1]), (1...9).contains(unit) {
            return (value + unit, 2)
        }
        return (value, 1)
    }
}
