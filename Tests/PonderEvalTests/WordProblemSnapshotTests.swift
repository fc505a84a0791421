import Foundation
import PonderCore
import Testing
@testable import PonderEval

/// Word problems are reproduced by seed for published measurements: naming each problem's template
/// must change nothing else. The digests are of `ponder eval --generate word-problems … --write`
/// files written by the binary before templates were recorded (main at 6280ead).
@Suite struct WordProblemSnapshotTests {
    /// One `--write` file of the binary before the change: its options and its SHA-256.
    struct Snapshot: Sendable, CustomTestStringConvertible {
        let templates: TemplateSelection
        let seed: UInt64
        let count: Int
        let difficulty: Int?
        let digest: String

        var testDescription: String { "seed \(seed) templates \(templates.rawValue) difficulty \(difficulty.map(String.init) ?? "cycling")" }

        static let all = [
            Snapshot(templates: .all, seed: 7, count: 48, difficulty: nil, digest: "805acd301c35ee699f1ae753b48c462de2f88c743f99a15e6e5a6dde0514944c"),
            Snapshot(templates: .fit, seed: 7, count: 48, difficulty: nil, digest: "2305cafb61fbeb8b8dd61d42215e6310f56a283ee3760f19f5984110f697ef0b"),
            Snapshot(templates: .heldOut, seed: 7, count: 48, difficulty: nil, digest: "2196ae313a24a4cca5eef02c082e1a5c2b38f793b30a3833f221dcb58b3ca6c5"),
            Snapshot(templates: .all, seed: 123, count: 30, difficulty: 4, digest: "baeeecf0371644d34aa8d0fc5c07ae4a8754aaa5bcfa80bc1613a35ad49dc309"),
        ]
    }

    @Test(arguments: Snapshot.all)
    func problemsAreByteIdenticalToBeforeApartFromTheTemplateField(snapshot: Snapshot) throws {
        let problems = try ProblemGenerator(family: .wordProblems, seed: snapshot.seed)
            .generate(count: snapshot.count, difficulty: snapshot.difficulty, templates: snapshot.templates)
        let names = Set(WordProblemTemplate.all.map(\.name))
        #expect(problems.allSatisfy { names.contains($0.template ?? "") })
        let untagged = problems.map { problem in
            var copy = problem
            copy.template = nil
            return copy
        }
        let before = try untagged.jsonLines()
        #expect(SHA256.hex(SHA256.hash(before)) == snapshot.digest)
        // The written line is the old line with the template added as its last key.
        let lines = String(decoding: try problems.jsonLines(), as: UTF8.self).split(separator: "\n")
        let old = String(decoding: before, as: UTF8.self).split(separator: "\n")
        for (line, (previous, problem)) in zip(lines, zip(old, problems)) {
            #expect(String(line) == String(previous.dropLast()) + ",\"template\":\"\(problem.template ?? "")\"}")
        }
    }

    @Test func theFirstProblemsOfSeedSevenAreUnchanged() throws {
        let problems = try ProblemGenerator(family: .wordProblems, seed: 7).generate(count: 4)
        #expect(problems.map(\.id) == (1...4).map { "word-problems-7-\($0)" })
        #expect(problems.map(\.question) == [
            "A train travels at 6 kilometres per hour for 5 hours. How many kilometres does it travel?",
            "A orchard has 16 rows of trees with 14 trees in each row. How many trees are there in the orchard?",
            "Noah saves $4 every week for 6 weeks, then spends $19 on a jacket. How many dollars does he have left?",
            "Kofi picks 155 lemons. He keeps 22 and shares the rest equally among 7 friends. How many lemons does each friend get?",
        ])
        #expect(problems.map(\.expected) == ["30", "224", "5", "19"])
        #expect(problems.map(\.template) == ["distance", "rows", "saving", "keep-and-share"])
        #expect(problems[3].solution == "He shares 155 - 22 = 133 lemons.\nEach friend gets 133 ÷ 7 = 19 lemons.")
        let fit = ProblemSource.generated(.init(family: .wordProblems, seed: 7, count: 48, templates: .fit))
        #expect(fit.description == "generated word-problems count=48 seed=7 templates=fit")
        #expect(try fit.problems().map(\.expected).prefix(4) == ["40", "27", "50", "60"])
    }
}
