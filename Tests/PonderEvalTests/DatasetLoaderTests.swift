import Foundation
import PonderReasoning
import Testing
@testable import PonderEval

@Suite struct DatasetLoaderTests {
    @Test func readsGSM8KRecords() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("gsm8k_test.jsonl", try jsonLines([
            ["question": "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?",
             "answer": "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n#### 72"],
            ["question": "A house costs a lot. How much?", "answer": "It costs 1,000 + 234 = 1,234 thousand.\n#### 1,234"],
            ["question": "What is 3 - 5?", "answer": "#### -2", "id": "custom-id", "difficulty": 2],
        ]))
        let problems = try DatasetLoader.load(path: path)
        #expect(problems.map(\.expected) == ["72", "1234", "-2"])
        #expect(problems.allSatisfy { $0.kind == .number })
        #expect(problems[0].id == "gsm8k_test-1")
        #expect(problems[0].solution?.hasSuffix("72 clips altogether in April and May.") == true)
        #expect(problems[0].question.hasPrefix("Natalia sold clips"))
        #expect(problems[2].id == "custom-id")
        #expect(problems[2].difficulty == 2)
        #expect(problems[2].solution == nil)
    }

    @Test func readsMATHRecordsWithNestedBoxes() throws {
        let problems = try DatasetLoader.parse(try jsonLines([
            ["problem": "Compute $\\frac{2}{4}$.", "solution": "We reduce: $\\frac{2}{4} = \\boxed{\\frac{1}{2}}$.", "level": "Level 2"],
            ["problem": "Find $\\sin 60^\\circ$.", "solution": "It is $\\boxed{\\frac{\\sqrt{3}}{2}}$.", "level": "Level 5"],
            ["problem": "Solve.", "solution": "First \\boxed{1}, then finally \\boxed{(1, {2})}."],
            ["problem": "How many?", "solution": "Counting gives 10,080.", "answer": "10,\\!080"],
            ["problem": "AIME style.", "answer": 204, "unique_id": "test/algebra/1.json"],
            ["problem": "Percent?", "solution": "So $\\boxed{50\\%}$."],
            ["problem": "Money?", "solution": "So $\\boxed{\\$18.90}$."],
            ["problem": "Angle?", "solution": "So $\\boxed{30^\\circ}$."],
        ]), source: "math.jsonl")
        #expect(problems.map(\.expected) == ["0.5", "\\frac{\\sqrt{3}}{2}", "(1, {2})", "10080", "204", "50%", "18.9", "30"])
        #expect(problems.map(\.kind) == [.number, .text, .text, .number, .number, .number, .number, .number])
        #expect(problems[0].difficulty == 2)
        #expect(problems[1].difficulty == 5)
        #expect(problems[1].solution == "It is $\\boxed{\\frac{\\sqrt{3}}{2}}$.")
        #expect(problems[4].id == "test/algebra/1.json")
        #expect(problems[0].id == "math-1")
    }

    @Test func readsMultipleChoiceWithLetteredChoices() throws {
        let problems = try DatasetLoader.parse(try jsonLines([
            ["question": "What is the capital of France?", "choices": ["Lyon", "Paris", "Nice", "Lille"], "answer": "B"],
            ["question": "Which is prime?", "choices": ["4", "6", "7"], "answer": 2],
            ["question": "Pick one.", "choices": ["x", "y"], "answer": "(a)"],
            ["question": "Which gas do plants take in?",
             "choices": ["text": ["Oxygen", "Carbon dioxide", "Helium"], "label": ["1", "2", "3"]], "answerKey": "2"],
            ["question": "Largest?", "choices": ["Mars", "Jupiter"], "answer": "Jupiter"],
        ]), source: "gpqa.jsonl")
        #expect(problems.map(\.expected) == ["B", "C", "A", "B", "B"])
        #expect(problems.allSatisfy { $0.kind == .multipleChoice })
        #expect(problems[0].question == "What is the capital of France?\n\nA) Lyon\nB) Paris\nC) Nice\nD) Lille")
        #expect(problems[0].choices == ["Lyon", "Paris", "Nice", "Lille"])
        #expect(problems[3].question.hasSuffix("A) Oxygen\nB) Carbon dioxide\nC) Helium"))
        for problem in problems {
            #expect(AnswerKind(guessingFrom: problem.question) == .multipleChoice)
        }
    }

    @Test func readsHumanEvalFromGzip() throws {
        let directory = try TemporaryDirectory()
        let records: [[String: Any]] = [
            ["task_id": "HumanEval/0", "prompt": "def add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n",
             "entry_point": "add", "canonical_solution": "    return a + b\n",
             "test": "def check(candidate):\n    assert candidate(1, 2) == 3\n"],
            ["task_id": "HumanEval/1", "prompt": "def neg(a):\n", "entry_point": "neg",
             "test": "def check(candidate):\n    assert candidate(1) == -1\n"],
        ]
        let path = try directory.writeGzip("HumanEval.jsonl.gz", try jsonLines(records))
        let problems = try DatasetLoader.load(path: path)
        #expect(problems.map(\.id) == ["HumanEval/0", "HumanEval/1"])
        #expect(problems.allSatisfy { $0.kind == .code && $0.expected.isEmpty })
        #expect(problems[0].code == CodeTask(
            prompt: "def add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n", entryPoint: "add",
            test: "def check(candidate):\n    assert candidate(1, 2) == 3\n", canonicalSolution: "    return a + b\n"
        ))
        #expect(problems[0].question == problems[0].code?.prompt)
        #expect(problems[1].code?.canonicalSolution == nil)
    }

    @Test func skipsBlankLinesAndCountsThemInLineNumbers() throws {
        let text = "\n{\"question\": \"Q1?\", \"answer\": \"#### 1\"}\r\n   \n\n{\"question\": \"Q2?\", \"answer\": \"#### 2\"}\r\n\n"
        let problems = try DatasetLoader.parse(text, source: "blank.jsonl")
        #expect(problems.map(\.expected) == ["1", "2"])
        #expect(problems.map(\.id) == ["blank-2", "blank-5"])
    }

    @Test func honoursLimit() throws {
        let records = (1...5).map { ["question": "Q\($0)?", "answer": "#### \($0)"] }
        let text = try jsonLines(records) + "not json\n"
        #expect(try DatasetLoader.parse(text, limit: 2).map(\.expected) == ["1", "2"])
        #expect(try DatasetLoader.parse(text, limit: 5).count == 5)
        #expect(throws: DatasetError.invalidJSON(path: "input", line: 6, reason: "cannot parse \"not json\"")) {
            try DatasetLoader.parse(text, limit: 6)
        }
        #expect(throws: DatasetError.invalidLimit(0)) { try DatasetLoader.parse(text, limit: 0) }
    }

    @Test func acceptsAFileWithABOMAndMixedFormats() throws {
        let text = "\u{FEFF}{\"question\": \"Q?\", \"answer\": \"#### 4\"}\n{\"problem\": \"P\", \"solution\": \"\\\\boxed{7}\"}\n"
        let problems = try DatasetLoader.parse(text)
        #expect(problems.map(\.expected) == ["4", "7"])
    }
}
