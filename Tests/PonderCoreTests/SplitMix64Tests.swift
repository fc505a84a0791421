import PonderCore
import Testing

/// Stored eval runs (generated problems) and training runs (validation split, example order)
/// depend on `SplitMix64`'s exact outputs. These values were taken from the two generators it
/// replaces (PonderEval's `SplitMix64` and PonderTraining's `SeededRandom`) before they were merged.
@Suite struct SplitMix64Tests {
    @Test func theFirstOutputsForASeedNeverChange() {
        var zero = SplitMix64(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var fortyTwo = SplitMix64(seed: 42)
        #expect([fortyTwo.next(), fortyTwo.next(), fortyTwo.next()] == [0xBDD7_3226_2FEB_6E95, 0x28EF_E333_B266_F103, 0x4752_6757_130F_9F52])
    }

    @Test func anIndexedStreamNeverChanges() {
        var item = SplitMix64(seed: 7, index: 3)
        #expect([item.next(), item.next()] == [0x5F3A_6ED4_BE7E_FE8D, 0x3FD6_1FC4_CC2B_7167])
    }

    @Test func drawsNeverChange() {
        var random = SplitMix64(seed: 11, index: 0)
        #expect((0..<6).map { _ in random.int(in: 1...100) } == [37, 5, 19, 59, 92, 73])
        #expect(random.pick(["a", "b", "c", "d"]) == "a")
        #expect(random.chance(1, in: 2) == false)
    }

    @Test func shufflesNeverChange() {
        var five = SplitMix64(seed: 5)
        #expect(five.shuffled(Array(0..<10)) == [3, 6, 0, 4, 5, 1, 2, 9, 7, 8])
        var six = SplitMix64(seed: 6)
        #expect(six.shuffled(Array(0..<10)) == [9, 7, 8, 4, 0, 3, 1, 6, 5, 2])
        var one = SplitMix64(seed: 1)
        #expect(one.shuffled([1]) == [1] && one.shuffled([Int]()) == [])
        #expect(one == SplitMix64(seed: 1), "shuffling fewer than two items draws nothing")
    }
}
