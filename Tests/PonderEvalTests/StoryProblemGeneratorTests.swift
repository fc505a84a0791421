import Foundation
import PonderCore
import PonderReasoning
import Testing
@testable import PonderEval

/// A number with at most two decimals in hundredths (`"12.50"` → 1250, `"7"` → 700), else nil.
private func hundredths<S: StringProtocol>(_ text: S) -> Int? {
    func digits(_ part: S.SubSequence) -> Bool { !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), digits(parts[0]), let whole = Int(parts[0]) else { return nil }
    guard parts.count == 2 else { return whole * 100 }
    guard digits(parts[1]), parts[1].count <= 2, let fraction = Int(parts[1]) else { return nil }
    return whole * 100 + (parts[1].count == 1 ? fraction * 10 : fraction)
}

/// One `a op b = c` statement of a solution line, values in hundredths.
private struct Claim {
    let left: Int, op: String, right: Int, result: Int

    /// Whether the statement is exactly true.
    var holds: Bool {
        switch op {
        case "+": return left + right == result
        case "-": return left - right == result
        case "×": return left * right == result * 100
        case "÷": return right != 0 && left * 100 == result * right
        default: return false
        }
    }
}

/// Every `a op b = c` in `line` (a `$` before a number and punctuation after it are ignored), and
/// how many `=` signs the line has, so a statement the parser does not read is noticed.
private func claims(in line: String) -> (claims: [Claim], equalsSigns: Int) {
    let tokens = line.split(separator: " ").map { token -> Substring in
        var trimmed = token
        while let last = trimmed.last, ".,:;".contains(last) { trimmed = trimmed.dropLast() }
        if trimmed.first == "$" { trimmed = trimmed.dropFirst() }
        return trimmed
    }
    var found: [Claim] = []
    var index = 0
    while index + 4 < tokens.count {
        if let left = hundredths(tokens[index]), ["+", "-", "×", "÷"].contains(tokens[index + 1]),
           let right = hundredths(tokens[index + 2]), tokens[index + 3] == "=", let result = hundredths(tokens[index + 4]) {
            found.append(Claim(left: left, op: String(tokens[index + 1]), right: right, result: result))
            index += 5
        } else {
            index += 1
        }
    }
    return (found, line.filter { $0 == "=" }.count)
}

@Suite("Story problems")
struct StoryProblemGeneratorTests {
    typealias Template = StoryProblemTemplate
    typealias Split = StoryProblemGenerator.Split

    @Test func hasAtLeastSixtyUniquelyNamedTemplatesOfOneToThreeSteps() {
        let all = Template.all
        #expect(all.count >= 60)
        #expect(Set(all.map(\.name)).count == all.count)
        #expect(Set(all.map(\.name)).isDisjoint(with: WordProblemTemplate.all.map(\.name)))
        #expect(Template.oneStep.allSatisfy { $0.steps == 1 } && Template.twoStep.allSatisfy { $0.steps == 2 })
        #expect(Template.threeStep.allSatisfy { $0.steps == 3 })
        #expect(Template.oneStep.count >= 20 && Template.twoStep.count >= 20 && Template.threeStep.count >= 20)
    }

    @Test func splitsAreDisjointRoughlySixtyTwentyTwentyAndEachCoversEveryStepCountAndCategory() {
        let bySplit = Dictionary(grouping: Template.all, by: \.split)
        #expect(Set(bySplit.keys) == Set(Split.allCases))
        let names = bySplit.mapValues { Set($0.map(\.name)) }
        for first in Split.allCases {
            for second in Split.allCases where first != second {
                #expect(names[first, default: []].isDisjoint(with: names[second, default: []]))
            }
        }
        #expect(names.values.map(\.count).reduce(0, +) == Template.all.count)
        for split in Split.allCases {
            let templates = bySplit[split, default: []]
            let share = Double(templates.count) / Double(Template.all.count)
            #expect((split == .training ? 0.5...0.7 : 0.15...0.25).contains(share), "\(split): \(templates.count)")
            #expect(Set(templates.map(\.steps)) == [1, 2, 3], "\(split)")
            #expect(Set(templates.map(\.category)) == Set(Template.Category.allCases), "\(split)")
            #expect(templates.contains { $0.distractor }, "\(split) has no template with an unused number")
        }
        #expect(StoryProblemGenerator.templateCounts[.heldOut]?.values.reduce(0, +) == bySplit[.heldOut]?.count)
    }

    @Test func everyTemplateAtBothScalesComputesAPositiveAnswerItsSolutionShows() {
        for template in Template.all {
            for large in [false, true] {
                for index in 0..<300 {
                    var draw = Template.Draw(random: SplitMix64(seed: 77, index: index), large: large)
                    let story = template.build(&draw)
                    let context = "\(template.name) \(large ? "large" : "small") #\(index): \(story.setup) \(story.solution)"
                    #expect(story.answer.isPositive, "\(context)")
                    #expect(story.solution.count == template.steps, "\(context)")
                    var last: Claim?
                    for line in story.solution {
                        let (found, equalsSigns) = claims(in: line)
                        #expect(!found.isEmpty && found.count == equalsSigns, "an unreadable statement: \(line) (\(context))")
                        for claim in found { #expect(claim.holds, "false: \(line) (\(context))") }
                        last = found.last ?? last
                    }
                    #expect(last?.result == hundredths(story.answer.expected), "\(context) answer \(story.answer.expected)")
                    #expect(ReferenceAnswer.number(in: story.answer.expected) == story.answer.expected, "not canonical: \(story.answer.expected)")
                    #expect(story.questions.count >= 2 && Set(story.questions).count == story.questions.count, "\(template.name)")
                    for question in story.questions {
                        let text = story.setup + " " + question
                        #expect(question.hasSuffix("?") && AnswerKind(guessingFrom: text) == .number, "\(text)")
                    }
                }
            }
        }
    }

    @Test(arguments: StoryProblemGenerator.levels)
    func generatedProblemsHaveTheirLevelsStepsAndVariedPhrasings(level: Int) throws {
        let generator = StoryProblemGenerator(seed: 2_026)
        var phrasings: [String: Set<Int>] = [:]
        let problems = try generator.generate(count: 600, difficulty: level)
        for (index, problem) in problems.enumerated() {
            let (template, story, phrasing) = generator.draft(index: index, difficulty: level)
            #expect(problem.question == story.setup + " " + story.questions[phrasing])
            #expect(problem.template == template.name && template.steps == (level + 1) / 2)
            #expect(problem.kind == .number && problem.difficulty == level && problem.expected == story.answer.expected)
            #expect(problem.solution?.split(separator: "\n").count == template.steps)
            phrasings[template.name, default: []].insert(phrasing)
        }
        let pool = generator.pool(difficulty: level)
        #expect(Set(phrasings.keys) == Set(pool.map(\.name)), "every template of the level is drawn")
        for (name, chosen) in phrasings { #expect(chosen.count >= 2, "\(name) was asked one way only") }
        #expect(Set(problems.map(\.question)).count > 540)
    }

    @Test func largerLevelsUseLargerNumbers() throws {
        func meanLargest(_ level: Int) throws -> Double {
            let problems = try StoryProblemGenerator(seed: 5).generate(count: 400, difficulty: level)
            let largest = problems.map { problem in
                problem.question.split { !$0.isNumber && $0 != "." }.compactMap { Double($0) }.max() ?? 0
            }
            return largest.reduce(0, +) / Double(largest.count)
        }
        for steps in 1...3 { #expect(try meanLargest(2 * steps) > meanLargest(2 * steps - 1)) }
    }

    @Test func sameSeedIsByteIdenticalAndLevelsCycle() throws {
        let first = try ProblemGenerator(family: .storyProblems, seed: 99).generate(count: 60)
        let again = try ProblemGenerator(family: .storyProblems, seed: 99).generate(count: 60)
        let other = try ProblemGenerator(family: .storyProblems, seed: 100).generate(count: 60)
        #expect(try first.jsonLines() == again.jsonLines())
        #expect(first.map(\.question) != other.map(\.question))
        #expect(try ProblemGenerator(family: .storyProblems, seed: 99).generate(count: 10) == Array(first.prefix(10)))
        #expect(first.prefix(7).map(\.difficulty) == [1, 2, 3, 4, 5, 6, 1])
        #expect(first[0].id == "story-problems-99-1" && first.allSatisfy { $0.template != nil })
        #expect(ProblemGenerator.Family.storyProblems.difficulties == 1...6)
        #expect(ProblemGenerator.Family(rawValue: "story-problems") == .storyProblems)
    }

    /// Runs are resumed and compared by seed, so the problems of a seed are pinned: a deliberate
    /// change to a template changes this digest (and stored runs then ask new questions).
    @Test func theProblemsOfASeedArePinned() throws {
        let problems = try ProblemGenerator(family: .storyProblems, seed: 1).generate(count: 60)
        #expect(SHA256.hex(SHA256.hash(try problems.jsonLines())) == "1434b298a6b3381063cf85218e2564d2ace73032ad03fc7f1697222b46cd461f")
        #expect(problems[0].question == "A hike lasts 2 hours. What is its length in minutes?")
        #expect(problems[0].template == "hours-in-minutes" && problems[0].expected == "120")
    }

    @Test(arguments: Split.allCases)
    func aSplitYieldsOnlyItsOwnTemplates(split: Split) throws {
        let selection = try #require(TemplateSelection(rawValue: split.rawValue))
        let own = Set(Template.all.filter { $0.split == split }.map(\.name))
        let problems = try ProblemGenerator(family: .storyProblems, seed: 4).generate(count: 600, templates: selection)
        #expect(problems.allSatisfy { own.contains($0.template ?? "") })
        #expect(Set(problems.compactMap(\.template)) == own, "every template of the split is drawn")
        let source = ProblemSource.generated(.init(family: .storyProblems, seed: 4, count: 600, templates: selection))
        #expect(try source.problems() == problems)
        #expect(source.description == "generated story-problems count=600 seed=4 templates=\(split.rawValue)")
    }

    @Test func allTemplatesAreTheDefaultAndOtherFamiliesSelectionsAreRefused() throws {
        let all = try ProblemGenerator(family: .storyProblems, seed: 4).generate(count: 600)
        #expect(Set(all.compactMap(\.template)) == Set(Template.all.map(\.name)))
        #expect(ProblemSource.generated(.init(family: .storyProblems, seed: 4, count: 5, difficulty: 5)).description
                == "generated story-problems count=5 seed=4 difficulty=5")
        #expect(ProblemGenerator.Family.storyProblems.templateSelections == [.all, .training, .validation, .heldOut])
        #expect(ProblemGenerator.Family.wordProblems.templateSelections == [.all, .fit, .heldOut])
        #expect(ProblemGenerator.Family.arithmetic.templateSelections == [.all])
        #expect(throws: GeneratorError.templatesDoNotApply(family: .storyProblems, templates: .fit)) {
            try ProblemGenerator(family: .storyProblems, seed: 1).generate(count: 1, templates: .fit)
        }
        #expect(throws: GeneratorError.templatesDoNotApply(family: .wordProblems, templates: .validation)) {
            try ProblemGenerator(family: .wordProblems, seed: 1).generate(count: 1, templates: .validation)
        }
        #expect(throws: ProblemSourceError.generator(.templatesDoNotApply(family: .arithmetic, templates: .heldOut))) {
            try ProblemSource.generated(.init(family: .arithmetic, seed: 0, count: 1, arithmetic: .init(digits: 2), templates: .heldOut))
                .problems()
        }
        #expect(throws: GeneratorError.invalidDifficulty(family: .storyProblems, value: 7, allowed: 1...6)) {
            try ProblemGenerator(family: .storyProblems, seed: 1).generate(count: 1, difficulty: 7)
        }
        #expect(GeneratorError.templatesDoNotApply(family: .storyProblems, templates: .fit).description
                == "templates 'fit' do not apply to story-problems: use all, training, validation or held-out")
        #expect(throws: GeneratorError.noTemplates(family: .storyProblems)) {
            try StoryProblemGenerator(seed: 1, splits: []).generate(count: 1, difficulty: 1)
        }
    }

    @Test func moneyIsExactInCents() {
        #expect(Cents(1275).canonical == "12.75" && Cents(1250).canonical == "12.5" && Cents(1200).canonical == "12")
        #expect(Cents(5).canonical == "0.05" && Cents(75).figure == "0.75" && Cents(1250).figure == "12.50")
        #expect(Cents(1005).figure == "10.05" && Cents(900).text == "$9")
        #expect((Cents(425) * 3).figure == "12.75" && (Cents(1275) / 3).figure == "4.25")
        for value in [5, 10, 75, 100, 1005, 1250, 99_995] {
            #expect(ReferenceAnswer.number(in: Cents(value).canonical) == Cents(value).canonical)
            #expect(ReferenceAnswer.number(in: Cents(value).figure) == Cents(value).canonical)
        }
    }

    @Test func theTemplateFieldRoundTripsThroughJSONL() throws {
        let problems = try ProblemGenerator(family: .storyProblems, seed: 8).generate(count: 30)
        let text = String(decoding: try problems.jsonLines(), as: UTF8.self)
        for (line, problem) in zip(text.split(separator: "\n"), problems) {
            #expect(line.hasSuffix(",\"template\":\"\(problem.template ?? "?")\"}"))
        }
        #expect(try DatasetLoader.parse(text) == problems)
        let decoded = try JSONDecoder().decode(EvalProblem.self, from: JSONEncoder().encode(problems[0]))
        #expect(decoded == problems[0] && decoded.template != nil)

        // Problems without a template keep their bytes: no key at all.
        let sums = try ProblemGenerator(family: .arithmetic, seed: 8).generate(count: 5)
        #expect(!String(decoding: try sums.jsonLines(), as: UTF8.self).contains("template"))
        #expect(!String(decoding: try JSONEncoder().encode(sums[0]), as: UTF8.self).contains("template"))
        #expect(try DatasetLoader.parse("{\"question\":\"What is 1 + 2?\",\"answer\":\"#### 3\"}\n")[0].template == nil)
        #expect(try DatasetLoader.parse("{\"question\":\"What is 1 + 2?\",\"answer\":\"#### 3\",\"template\":7}\n")[0].template == nil)
        #expect(try DatasetLoader.parse("{\"question\":\"What is 1 + 2?\",\"answer\":\"#### 3\",\"template\":\"x\"}\n")[0].template == "x")
    }
}
