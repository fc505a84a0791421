import ArgumentParser
import Foundation
@testable import PonderCLI
import PonderEval
import Testing

/// `--generate story-problems`, `--task story-problems` and `--templates`: the split is part of the
/// stored description, and a value the family does not have is refused in one line.
@Suite struct StoryProblemOptionsTests {
    static func heldOutNames() throws -> Set<String> {
        Set(try ProblemGenerator(family: .storyProblems, seed: 1).generate(count: 600, templates: .heldOut).compactMap(\.template))
    }

    @Test(arguments: [
        (["--generate", "story-problems"], "generated story-problems count=50 seed=0"),
        (["--generate", "story-problems", "--templates", "held-out", "--seed", "3"], "generated story-problems count=50 seed=3 templates=held-out"),
        (["--generate", "story-problems", "--templates", "training", "--difficulty", "6"],
         "generated story-problems count=50 seed=0 difficulty=6 templates=training"),
        (["--generate", "story-problems", "--templates", "validation", "--count", "9"], "generated story-problems count=9 seed=0 templates=validation"),
        (["--generate", "word-problems", "--templates", "fit"], "generated word-problems count=50 seed=0 templates=fit"),
        (["--generate", "word-problems", "--templates", "held-out"], "generated word-problems count=50 seed=0 templates=held-out"),
    ])
    func theSplitIsPartOfTheStoredDescription(arguments: [String], stored: String) throws {
        let eval = try #require(try PonderCommand.parseAsRoot(["eval"] + arguments) as? EvalCommand)
        #expect(eval.problemSource == stored)
    }

    @Test func evalHeldOutYieldsOnlyHeldOutTemplates() throws {
        let eval = try #require(try PonderCommand.parseAsRoot(["eval", "--generate", "story-problems", "--templates", "held-out",
                                                               "--count", "120"]) as? EvalCommand)
        let problems = try eval.problems()
        let heldOut = try Self.heldOutNames()
        #expect(problems.count == 120 && problems.allSatisfy { heldOut.contains($0.template ?? "") })
        #expect(problems.prefix(6).map(\.difficulty) == [1, 2, 3, 4, 5, 6])
    }

    @Test(arguments: [
        (["eval", "--generate", "story-problems", "--templates", "fit"],
         "--templates fit does not apply to story-problems: use all, training, validation or held-out"),
        (["eval", "--generate", "word-problems", "--templates", "training"],
         "--templates training does not apply to word-problems: use all, fit or held-out"),
        (["eval", "--generate", "arithmetic", "--templates", "held-out"], "--templates held-out does not apply to arithmetic: use all"),
        (["eval", "--dataset", "x.jsonl", "--templates", "held-out"], "--templates applies to generated problems (--generate) only"),
        (["eval", "--generate", "story-problems", "--templates", "halves"], "halves"),
        (["train", "verifier", "--out", "/tmp/v.json", "--families", "word-problems", "--templates", "validation"],
         "--templates validation does not apply to word-problems: use all, fit or held-out"),
    ])
    func templatesAFamilyDoesNotHaveAreRefusedInOneLine(arguments: [String], message: String) {
        do {
            _ = try PonderCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) should be refused")
        } catch {
            let text = PonderCommand.message(for: error)
            #expect(text.contains(message), "\(text)")
            #expect(!text.trimmingCharacters(in: .whitespacesAndNewlines).contains("\n") || message == "halves", "\(text)")
            #expect(PonderCommand.exitCode(for: error) == .validationFailure)
        }
    }

    @Test func theTemplateSplitTrainsDecidesAndTestsOnDisjointTemplates() throws {
        let star = try #require(try PonderCommand.parseAsRoot([
            "train", "star", "--task", "story-problems", "--template-split", "--count", "12", "--heldout-count", "6",
            "--test-count", "7", "--out", "/tmp/r",
        ]) as? TrainStarCommand)
        let (train, heldOut, test) = try star.problems()
        func templates(_ split: TemplateSelection) throws -> Set<String> {
            Set(try ProblemGenerator(family: .storyProblems, seed: 1).generate(count: 600, templates: split).compactMap(\.template))
        }
        #expect(train.count == 12 && heldOut.count == 6 && test.count == 7)
        let training = try templates(.training), validation = try templates(.validation), heldOutTemplates = try templates(.heldOut)
        #expect(train.allSatisfy { training.contains($0.template ?? "") })
        #expect(heldOut.allSatisfy { validation.contains($0.template ?? "") })
        #expect(test.allSatisfy { heldOutTemplates.contains($0.template ?? "") })
        #expect(test == (try ProblemGenerator(family: .storyProblems, seed: 3).generate(count: 7, templates: .heldOut)))
    }

    @Test func trainStarTakesStoryProblemsAndTheirSplit() throws {
        let star = try #require(try PonderCommand.parseAsRoot([
            "train", "star", "--task", "story-problems", "--templates", "training", "--count", "12", "--heldout-count", "6", "--out", "/tmp/r",
        ]) as? TrainStarCommand)
        let (train, heldOut, test) = try star.problems()
        #expect(test.isEmpty)
        let training = Set(try ProblemGenerator(family: .storyProblems, seed: 1).generate(count: 600, templates: .training)
            .compactMap(\.template))
        #expect(train.count == 12 && heldOut.count == 6)
        #expect((train + heldOut).allSatisfy { training.contains($0.template ?? "") })
        #expect(heldOut == (try ProblemGenerator(family: .storyProblems, seed: 2).generate(count: 6, templates: .training)))

        let wrong = try #require(try PonderCommand.parseAsRoot([
            "train", "star", "--task", "story-problems", "--templates", "fit", "--out", "/tmp/r",
        ]) as? TrainStarCommand)
        do { _ = try wrong.problems(); Issue.record("expected an error") } catch {
            #expect("\(error)" == "--templates fit does not apply to story-problems: use all, training, validation or held-out")
        }
    }

    @Test func trainVerifierKeepsHeldOutTemplatesUnseenByDefault() throws {
        let verifier = try #require(try PonderCommand.parseAsRoot([
            "train", "verifier", "--out", "/tmp/v.json", "--families", "story-problems,word-problems,arithmetic", "--tool-settings", "none",
        ]) as? TrainVerifierCommand)
        #expect(try verifier.parts().map(\.templates) == [.training, .fit, .all])
        let chosen = try #require(try PonderCommand.parseAsRoot([
            "train", "verifier", "--out", "/tmp/v.json", "--families", "story-problems,arithmetic", "--templates", "validation",
        ]) as? TrainVerifierCommand)
        #expect(try chosen.parts().map(\.templates) == [.validation, .validation, .all, .all])
        // The word-problem default is unchanged: its description still says templates=fit.
        let defaults = try #require(try PonderCommand.parseAsRoot(["train", "verifier", "--out", "/tmp/v.json"]) as? TrainVerifierCommand)
        #expect(try defaults.parts().map(\.templates) == [.fit, .fit, .all, .all])
    }
}
