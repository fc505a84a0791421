import PonderCore

/// One story-problem template: it draws its numbers, sets the scene, offers its question in several
/// phrasings, writes the worked solution (one line per step, each with its arithmetic claim such as
/// `4 × 6 = 24`) and computes the answer from the numbers it drew.
///
/// A template's number of steps, category and split are fixed in the catalog
/// (`StoryProblemTemplate+OneStep.swift` and the others); its build closure decides only numbers,
/// names and words.
struct StoryProblemTemplate: Sendable {
    /// What a template is about, so that every split covers every kind of problem.
    enum Category: String, Sendable, Hashable, CaseIterable {
        /// Buying, change, prices (often with cents).
        case money
        /// How many more or fewer, times as many.
        case comparison
        /// Speeds, wages, work and unit rates.
        case rate
        /// Equal shares, groups, parts of a whole.
        case sharing
        /// Lengths, areas, perimeters.
        case measurement
        /// Durations in minutes and hours.
        case time
        /// Ages now, before and later.
        case ages
        /// Means of a few numbers.
        case average
        /// Percentages of round numbers.
        case percent
    }

    /// The drawn problem, before a phrasing is chosen.
    struct Story: Sendable {
        /// The sentences that set the scene, numbers included (shared by every phrasing).
        let setup: String
        /// The question in different words (at least two); the generator draws one.
        let questions: [String]
        /// The worked solution, one line per step.
        let solution: [String]
        /// The answer, computed from the numbers drawn.
        let answer: Quantity
    }

    /// An answer: a count (or length, age, minutes…) or an amount of money in cents.
    enum Quantity: Sendable, Hashable {
        case count(Int)
        case money(Cents)

        /// The expected answer as the graders' canonical number text (`"26"`, `"12.75"`, `"12.5"`).
        var expected: String {
            switch self {
            case let .count(value): return String(value)
            case let .money(amount): return amount.canonical
            }
        }

        /// Whether the answer is above zero (every template's is).
        var isPositive: Bool {
            switch self {
            case let .count(value): return value > 0
            case let .money(amount): return amount.value > 0
            }
        }
    }

    /// A short unique name (recorded as ``EvalProblem/template``).
    let name: String
    /// The arithmetic steps the problem needs (1 to 3); its solution has this many lines.
    let steps: Int
    /// What the problem is about.
    let category: Category
    /// The split the template belongs to, fixed once here so the splits never overlap.
    let split: StoryProblemGenerator.Split
    /// Whether the text holds a number the answer does not use.
    let distractor: Bool
    let build: @Sendable (inout Draw) -> Story

    init(_ name: String, steps: Int, _ category: Category, _ split: StoryProblemGenerator.Split, distractor: Bool = false,
         build: @escaping @Sendable (inout Draw) -> Story) {
        self.name = name
        self.steps = steps
        self.category = category
        self.split = split
        self.distractor = distractor
        self.build = build
    }

    /// The random source and number scale a template draws from.
    struct Draw {
        var random: SplitMix64
        /// Even levels (2, 4, 6) use larger numbers.
        let large: Bool

        /// A number from `small`, or from `large` at the larger scale.
        mutating func number(_ small: ClosedRange<Int>, _ large: ClosedRange<Int>) -> Int {
            random.int(in: self.large ? large : small)
        }

        mutating func int(in range: ClosedRange<Int>) -> Int { random.int(in: range) }

        mutating func pick<T>(_ items: [T]) -> T { random.pick(items) }

        /// A price in cents: a multiple of `step` cents between the bounds (in cents) of the scale.
        mutating func cents(_ small: ClosedRange<Int>, _ large: ClosedRange<Int>, step: Int = 5) -> Cents {
            let range = self.large ? large : small
            return Cents(step * random.int(in: (range.lowerBound + step - 1) / step...range.upperBound / step))
        }

        mutating func person() -> Person { random.pick(StoryProblemTemplate.people) }

        /// `count` different people.
        mutating func people(_ count: Int) -> [Person] {
            var chosen: [Person] = []
            while chosen.count < count {
                let next = random.pick(StoryProblemTemplate.people)
                if !chosen.contains(where: { $0.name == next.name }) { chosen.append(next) }
            }
            return chosen
        }

        /// `count` different items of `items`.
        mutating func distinct<T: Equatable>(_ items: [T], _ count: Int) -> [T] {
            var chosen: [T] = []
            while chosen.count < count {
                let next = random.pick(items)
                if !chosen.contains(next) { chosen.append(next) }
            }
            return chosen
        }
    }

    typealias Person = WordProblemTemplate.Person

    /// The word-problem names and sixteen more.
    static let people: [Person] = WordProblemTemplate.Person.all + [
        ("Sofia", "she"), ("Omar", "he"), ("Chloe", "she"), ("Ben", "he"), ("Amara", "she"), ("Jonas", "he"),
        ("Leila", "she"), ("Sam", "he"), ("Nadia", "she"), ("Mateo", "he"), ("Grace", "she"), ("Arjun", "he"),
        ("Freya", "she"), ("Kenji", "he"), ("Rosa", "she"), ("Felix", "he"),
    ].map { Person(name: $0.0, subject: $0.1, possessive: $0.1 == "she" ? "her" : "his") }

    // MARK: Vocabulary

    static let collectibles = ["stickers", "marbles", "stamps", "shells", "cards", "beads", "badges", "coins"]
    static let snacks = ["muffins", "cookies", "apples", "bagels", "oranges", "pears", "rolls", "bananas"]
    static let stationery = ["pens", "pencils", "notebooks", "erasers", "rulers", "markers", "folders"]
    static let shopItems = ["book", "toy car", "scarf", "puzzle", "lamp", "mug", "cap", "plant"]
    static let vehicles = ["train", "car", "bus", "truck", "van", "ferry"]
    static let walkers = ["walks", "jogs", "hikes", "rides"]
    static let colours = ["red", "blue", "green", "yellow", "white", "purple", "orange"]
    static let rooms = ["kitchen", "bedroom", "classroom", "hall", "study", "playroom"]
    static let plots = ["garden", "field", "yard", "lawn", "playground", "patio"]
    static let pastimes = ["reading", "piano practice", "drawing", "homework", "swimming", "chess"]
    static let subjects = ["maths", "science", "history", "spelling", "music", "art"]
    static let relatives = ["mother", "father", "aunt", "uncle"]
    static let goods = ["bottles", "jars", "boxes", "bags", "cans", "parcels"]
}

extension WordProblemTemplate.Person {
    /// The object pronoun ("her", "him").
    var object: String { subject == "she" ? "her" : "him" }
    /// The possessive capitalized ("Her", "His").
    var capitalizedPossessive: String { possessive.prefix(1).uppercased() + possessive.dropFirst() }
}

extension StoryProblemTemplate {
    /// The catalog, one-step templates first. Names are unique; each template's split is fixed here.
    static let all: [StoryProblemTemplate] = oneStep + twoStep + threeStep

    /// `"pen"` for `"pens"`: the vocabulary lists hold only regular plurals.
    static func singular(_ plural: String) -> String { String(plural.dropLast()) }

    /// `"twice"` for 2, else `"3 times"`.
    static func times(_ factor: Int) -> String { factor == 2 ? "twice" : "\(factor) times" }

    /// Percentages of round numbers as shares: 25% is 1 in 4.
    static let simplePercents = [(50, 2), (25, 4), (20, 5), (10, 10)]

    /// What a percentage is of: the things, where they are, and what some of them do.
    static let percentGroups = [
        ("seats", "a theatre", "are empty"), ("pupils", "a school", "walk to school"), ("trees", "an orchard", "are apple trees"),
        ("members", "a chess club", "are beginners"), ("cars", "a car park", "are red"), ("books", "a library room", "are novels"),
    ]

    /// Something done a number of units a day: the verb, its base form and the unit.
    static let activities = [
        ("reads", "read", "pages"), ("runs", "run", "kilometres"), ("swims", "swim", "lengths"), ("bakes", "bake", "cakes"),
        ("writes", "write", "pages"), ("cycles", "cycle", "kilometres"),
    ]

    /// Bank notes, in dollars, that a purchase is paid with.
    static let notes = [5, 10, 20, 50, 100]
}

extension StoryProblemTemplate.Draw {
    /// A note (in dollars) that more than covers `amount`: the smallest such, or the next one up.
    /// Templates keep amounts under $100.
    mutating func note(above amount: Cents) -> Int {
        let fitting = StoryProblemTemplate.notes.filter { Cents.dollars($0) > amount }
        return pick(Array(fitting.prefix(2)))
    }
}
