import Testing
@testable import PonderTraining

@Suite struct ArithmeticClaimFinderTests {
    @Test func findsStatementsAndLeavesStepNumbersOut() {
        let claims = ArithmeticClaimFinder.claims(in: "1. 23 + 45 = 68\n2. Then 68 - 8 = 60.")
        #expect(claims.map(\.statement) == ["23 + 45 = 68", "68 - 8 = 60"])
    }

    @Test func normalisesSymbolsMoneyAndSeparators() {
        let claims = ArithmeticClaimFinder.claims(in: "It costs $1,200 x 3 = $3,600, and 10 * 2 / 4 = 5 and 7 − 2 = 5")
        #expect(claims.map(\.statement) == ["1200 × 3 = 3600", "10 × 2 ÷ 4 = 5", "7 - 2 = 5"])
    }

    @Test func splitsChainsOfEqualsAndKeepsParentheses() {
        let claims = ArithmeticClaimFinder.claims(in: "(3 + 4) × 2 = 7 × 2 = 14")
        #expect(claims.map(\.statement) == ["(3 + 4) × 2 = 7 × 2", "7 × 2 = 14"])
    }

    @Test func ignoresEqualsWithoutArithmetic() {
        #expect(ArithmeticClaimFinder.claims(in: "x = 5, so the answer = 5; a <= 3 and b == 4").isEmpty)
        #expect(ArithmeticClaimFinder.claims(in: "Let the total = 12 apples.").isEmpty)
    }

    @Test func findsTheWrongStepOfTheIssue() {
        let claims = ArithmeticClaimFinder.claims(in: "the difference between 84 and 34 is 34 - 32 = 12 … the answer is 118")
        #expect(claims.map(\.statement) == ["34 - 32 = 12"])
    }

    @Test func negativeNumbersStayAttached() {
        let claims = ArithmeticClaimFinder.claims(in: "5 - 9 = -4")
        #expect(claims.map(\.statement) == ["5 - 9 = -4"])
    }
}
