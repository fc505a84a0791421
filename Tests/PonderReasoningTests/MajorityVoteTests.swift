@testable import PonderReasoning
import Testing

@Suite struct MajorityVoteTests {
    @Test func leaderAndTieBreakByFirstSeen() {
        var vote = MajorityVote(total: 4)
        vote.record("5"); vote.record("7"); vote.record("7"); vote.record("5")
        #expect(vote.leader?.answer == "5")   // 2–2: the first seen wins
        #expect(vote.leader?.votes == 2)
        #expect(vote.isDecided)
    }

    @Test func decidedOnceTheLeaderCannotBeOvertaken() {
        var vote = MajorityVote(total: 8)
        for _ in 0..<4 { vote.record("7") }
        #expect(!vote.isDecided)               // 4 vs 0 with 4 left: could still tie
        vote.record("7")
        #expect(vote.isDecided)                // 5 vs 0 with 3 left
    }

    @Test func notDecidedWhileTheRunnerUpCanCatchUp() {
        var vote = MajorityVote(total: 5)
        vote.record("1"); vote.record("1"); vote.record("2")
        #expect(!vote.isDecided)               // 2 vs 1 with 2 left
        vote.record("2")
        #expect(!vote.isDecided)
        vote.record("2")
        #expect(vote.isDecided && vote.leader?.answer == "2")
    }

    @Test func agreementWindowStopsEarly() {
        var vote = MajorityVote(total: 16, agreementWindow: 3)
        vote.record("9"); vote.record("9")
        #expect(!vote.isDecided)
        vote.record("9")
        #expect(vote.isDecided)
    }

    @Test func missingAnswersCountAsFinishedWithoutVotes() {
        var vote = MajorityVote(total: 2)
        vote.record(nil)
        #expect(vote.leader == nil && !vote.isDecided)
        vote.record(nil)
        #expect(vote.isDecided && vote.leader == nil)
    }
}
