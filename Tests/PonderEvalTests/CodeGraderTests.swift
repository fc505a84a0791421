import Foundation
import PonderReasoning
import PonderSandbox
import PonderTesting
import Testing
@testable import PonderEval

/// HumanEval grading through the real sandbox (real python3 processes).
@Suite("Code grading in the sandbox")
struct CodeGraderTests {
    static let task = CodeTask(
        prompt: "def add(a: int, b: int) -> int:\n    \"\"\"Return the sum of a and b.\"\"\"\n",
        entryPoint: "add",
        test: "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n",
        canonicalSolution: "    return a + b\n")

    static func grader() throws -> CodeGrader {
        CodeGrader(sandbox: try Sandbox(limits: try SandboxLimits(wallSeconds: 3, cpuSeconds: 2, memoryBytes: 256 << 20)))
    }

    @Test("the canonical body and a whole fenced function pass; wrong ones fail")
    func grading() async throws {
        let grader = try Self.grader()
        #expect(try await grader.passes(Self.task.canonicalSolution!, task: Self.task))
        #expect(try await grader.passes("Here it is:\n```python\ndef add(a, b):\n    return b + a\n```\nDone.", task: Self.task))
        #expect(!(try await grader.passes("    return a - b\n", task: Self.task)))
        #expect(!(try await grader.passes("```python\ndef add(a, b)\n    return a + b\n```", task: Self.task)), "a syntax error fails")
        #expect(!(try await grader.passes("", task: Self.task)), "the bare stub returns None and fails")
    }

    @Test("a candidate that loops forever fails at its CPU limit or the budget instead of hanging the eval")
    func loopingCandidate() async throws {
        let grade = try await Self.grader().run("    while True:\n        pass\n", task: Self.task)
        #expect(!grade.passed)
        // Usually the harness outlives the looping candidate process and reports the failure itself;
        // on a loaded machine its own start can eat the margin before the sandbox's limit.
        #expect([.exited(1), .timedOut].contains(grade.result.termination), "\(grade.result.termination) \(grade.result.stderr)")
        #expect(grade.failure != nil)
    }

    @Test("code extraction takes the first fenced block")
    func extraction() {
        #expect(CodeGrader.extractCode(from: "x\n```python\nprint(1)\n```\n```\nprint(2)\n```") == "print(1)\n")
        #expect(CodeGrader.extractCode(from: "```\nprint(3)") == "print(3)")
        #expect(CodeGrader.extractCode(from: "    return 1") == "    return 1")
        let body = CodeGrader.candidateSource(for: Self.task, candidate: "    return a + b\n")
        #expect(body == Self.task.prompt + "    return a + b\n\n")
        #expect(!body.contains("check"), "the tests stay out of the candidate's process")
        let whole = CodeGrader.candidateSource(for: Self.task, candidate: "```python\ndef add(a, b):\n    return 0\n```")
        #expect(whole == Self.task.prompt + "\ndef add(a, b):\n    return 0\n\n")
    }

    @Test("the runner grades a code problem's answer and every chain in the sandbox")
    func runnerGradesCode() async throws {
        let problem = EvalProblem(id: "HumanEval/0", question: Self.task.prompt, expected: "", kind: .code, code: Self.task)
        let replies = ["```python\ndef add(a, b):\n    return a + b\n```", "```python\ndef add(a, b):\n    return a * b\n```",
                       "```python\ndef add(a, b):\n    return a + b\n```"]
        let model = ScriptedModel { call in .init("Add them.\n\(replies[call.sequence % 3])\nAnswer: done") }
        let runner = EvalRunner(reasoner: Reasoner(model: model), samples: 3, codeGrader: try Self.grader())
        let record = try await runner.run(problem, index: 0, setting: EvalSetting(strategy: .selfConsistency, effort: .low))
        let trace = try JSONDecoder().decode(ReasoningTrace.self, from: Data(try #require(record.traceJSON).utf8))
        #expect(trace.samples.count >= 2)
        #expect(record.samplesTotal == trace.samples.count)
        #expect(record.samplesCorrect == trace.samples.filter { $0.reasoning.contains("a + b") }.count)
        #expect(record.samplesCorrect >= 1 && record.samplesCorrect < record.samplesTotal)
        #expect(record.anyChainCorrect)
        #expect(record.correct == (trace.samples.first?.reasoning.contains("a + b") ?? false))
        let direct = try await runner.run(problem, index: 0, setting: EvalSetting(strategy: .direct, effort: .low))
        #expect(direct.samplesTotal == 1)
        #expect(direct.correct == (direct.samplesCorrect == 1))
    }

    @Test("a chain's code written after the answer marker is kept to the end of the turn and graded")
    func codeAfterTheAnswerMarker() async throws {
        let problem = EvalProblem(id: "HumanEval/0", question: Self.task.prompt, expected: "", kind: .code, code: Self.task)
        let model = ScriptedModel { _ in .init("1. Add the two numbers.\nAnswer:\n```python\ndef add(a, b):\n    return a + b\n```") }
        let runner = EvalRunner(reasoner: Reasoner(model: model), codeGrader: try Self.grader())
        let record = try await runner.run(problem, index: 0, setting: EvalSetting(strategy: .cot, effort: .low))
        let trace = try JSONDecoder().decode(ReasoningTrace.self, from: Data(try #require(record.traceJSON).utf8))
        #expect(trace.answer == "```python\ndef add(a, b):\n    return a + b\n```")
        #expect(record.extractedAnswer == "def add(a, b):\n    return a + b\n")
        #expect(record.correct)
    }
}
