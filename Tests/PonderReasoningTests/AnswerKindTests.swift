import Testing
@testable import PonderReasoning

@Suite struct AnswerKindTests {
    @Test(arguments: [
        ("What is the capital of France?\n(A) Lyon\n(B) Paris\n(C) Nice", AnswerKind.multipleChoice),
        ("Which is a prime?\nA) 4\nB) 7\nC) 9", .multipleChoice),
        ("Pick one. A. red B. blue\nA. red\nB. blue", .multipleChoice),
        ("Is 91 a prime number?", .yesNo),
        ("John has 3 apples and eats one. Does he have 2 left?", .yesNo),
        ("Can a penguin fly?", .yesNo),
        ("Answer yes or no: the sky is green.", .yesNo),
        ("True or false: 2 + 2 = 4.", .yesNo),
        ("Natalia sold 48 clips in April. How many did she sell in total?", .number),
        ("How many legs does a spider have?", .number),
        ("What is 17 + 25?", .number),
        ("Who wrote Hamlet?", .text),
        ("What is the capital of France?", .text),
        ("", .text),
    ])
    func guessesKind(question: String, expected: AnswerKind) {
        #expect(AnswerKind(guessingFrom: question) == expected)
    }
}
