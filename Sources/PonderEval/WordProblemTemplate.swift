import PonderCore

/// One word-problem template: it draws its numbers, writes the question and the worked solution,
/// and computes the answer from the numbers it drew.
struct WordProblemTemplate: Sendable {
    /// The drawn problem.
    struct Output: Sendable {
        let question: String
        let solution: [String]
        let answer: Int
    }

    /// A short name, for tests and debugging.
    let name: String
    /// The arithmetic steps the problem needs (1 or 2).
    let steps: Int
    let build: @Sendable (inout WordProblemTemplate.Draw) -> Output

    /// The random source and number scale a template draws from.
    struct Draw {
        var random: SplitMix64
        /// Level 2 and 4 problems use larger numbers.
        let large: Bool

        /// A number from `small`, or from `large` at the larger scale.
        mutating func number(_ small: ClosedRange<Int>, _ large: ClosedRange<Int>) -> Int {
            random.int(in: self.large ? large : small)
        }

        mutating func int(in range: ClosedRange<Int>) -> Int { random.int(in: range) }

        mutating func person() -> Person { random.pick(Person.all) }

        /// Two different people.
        mutating func people() -> (Person, Person) {
            let first = random.int(in: 0...(Person.all.count - 1))
            let second = (first + random.int(in: 1...(Person.all.count - 1))) % Person.all.count
            return (Person.all[first], Person.all[second])
        }

        mutating func pick<T>(_ items: [T]) -> T { random.pick(items) }
    }

    /// A name with its pronouns.
    struct Person: Sendable {
        let name: String
        let subject: String
        let possessive: String

        var capitalizedSubject: String { subject.prefix(1).uppercased() + subject.dropFirst() }

        static let all: [Person] = [
            ("Maya", "she"), ("Liam", "he"), ("Aisha", "she"), ("Diego", "he"), ("Mei", "she"),
            ("Tom", "he"), ("Priya", "she"), ("Kofi", "he"), ("Elena", "she"), ("Yusuf", "he"),
            ("Hana", "she"), ("Lucas", "he"), ("Zara", "she"), ("Noah", "he"), ("Ines", "she"), ("Ravi", "he"),
        ].map { Person(name: $0.0, subject: $0.1, possessive: $0.1 == "she" ? "her" : "his") }
    }

    static let objects = ["marbles", "stickers", "pencils", "shells", "stamps", "cards", "beads", "crayons"]
    static let goods = ["notebooks", "pens", "apples", "tickets", "sandwiches", "toy cars", "books", "plants"]
    static let fruits = ["apples", "oranges", "plums", "strawberries", "cherries", "lemons"]
    static let vehicles = ["train", "car", "bus", "truck", "boat", "cyclist"]
    static let treats = ["bike", "game", "jacket", "kite", "watch", "backpack"]
    static let gardens = [("garden", "tulips"), ("orchard", "trees"), ("field", "sunflowers"), ("hall", "chairs")]
}
