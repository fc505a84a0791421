import ArgumentParser
import Foundation
import PonderEval

/// `ponder eval compare RUN_A RUN_B`: for every setting both runs have (or the one named as
/// `RUN:strategy@effort`), per-question wins and losses and the exact McNemar p-value.
struct EvalComparison {
    let store: EvalStore
    let a: String
    let b: String

    /// Splits `RUN` or `RUN:strategy@effort`.
    static func parse(_ text: String) throws -> (run: String, setting: EvalSetting?) {
        guard let colon = text.lastIndex(of: ":") else { return (text, nil) }
        let name = String(text[..<colon]), settingText = String(text[text.index(after: colon)...])
        guard !name.isEmpty, let setting = EvalSetting(settingText) else {
            throw ValidationError("'\(text)' is not RUN or RUN:strategy@effort (for example run1:cot@low)")
        }
        return (name, setting)
    }

    func print() async throws {
        let (runA, settingA) = try Self.parse(a)
        let (runB, settingB) = try Self.parse(b)
        _ = try await store.run(id: runA)
        _ = try await store.run(id: runB)
        let recordsA = Dictionary(grouping: try await store.records(run: runA), by: \.setting)
        let recordsB = Dictionary(grouping: try await store.records(run: runB), by: \.setting)
        var pairs: [(EvalSetting, EvalSetting)]
        switch (settingA, settingB) {
        case let (left?, right?): pairs = [(left, right)]
        case let (left?, nil): pairs = [(left, left)]
        case let (nil, right?): pairs = [(right, right)]
        case (nil, nil): pairs = Set(recordsA.keys).intersection(recordsB.keys).sorted().map { ($0, $0) }
        }
        pairs = pairs.filter { recordsA[$0.0] != nil && recordsB[$0.1] != nil }
        guard !pairs.isEmpty else {
            throw ValidationError("\(a) and \(b) have no setting in common with results")
        }
        Swift.print("A = \(a), B = \(b)")
        Swift.print("| A setting | B setting | paired | A acc | B acc | wins (A only) | losses (B only) | both | neither | McNemar p |")
        Swift.print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        var details: [String] = []
        for (left, right) in pairs {
            let comparison = PairedComparison(a: recordsA[left] ?? [], b: recordsB[right] ?? [])
            let n = Double(max(comparison.paired, 1))
            let accuracyA = Double(comparison.wins + comparison.bothCorrect) / n
            let accuracyB = Double(comparison.losses + comparison.bothCorrect) / n
            Swift.print(String(format: "| %@ | %@ | %d | %.1f%% | %.1f%% | %d | %d | %d | %d | %.4f |", left.description, right.description,
                               comparison.paired, 100 * accuracyA, 100 * accuracyB, comparison.wins, comparison.losses,
                               comparison.bothCorrect, comparison.bothWrong, comparison.pValue))
            if !comparison.wonProblems.isEmpty || !comparison.lostProblems.isEmpty {
                details.append("\(left) vs \(right): A won \(comparison.wonProblems.joined(separator: " ")); "
                               + "B won \(comparison.lostProblems.joined(separator: " "))")
            }
        }
        if !details.isEmpty { Swift.print("\n" + details.joined(separator: "\n")) }
    }
}
