extension WordProblemTemplate {
    /// The catalog: six one-step and six two-step templates. Every answer is a positive integer:
    /// divisions are built from their quotient, and every subtraction takes a smaller number.
    static let all: [WordProblemTemplate] = oneStep + twoStep

    static let oneStep: [WordProblemTemplate] = [
        .init(name: "buying", steps: 1) { draw in
            let person = draw.person(), item = draw.pick(goods)
            let count = draw.number(2...9, 11...40), price = draw.number(2...9, 12...45)
            return Output(
                question: "\(person.name) buys \(count) \(item) that cost $\(price) each. How many dollars does \(person.subject) spend?",
                solution: ["\(person.capitalizedSubject) spends \(count) × \(price) = \(count * price) dollars."],
                answer: count * price
            )
        },
        .init(name: "sharing", steps: 1) { draw in
            let person = draw.person(), thing = draw.pick(objects)
            let friends = draw.number(2...5, 3...9), each = draw.number(2...9, 11...30)
            let total = friends * each
            return Output(
                question: "\(person.name) has \(total) \(thing) and shares them equally among \(friends) friends. How many \(thing) does each friend get?",
                solution: ["Each friend gets \(total) ÷ \(friends) = \(each) \(thing)."],
                answer: each
            )
        },
        .init(name: "ages", steps: 1) { draw in
            let (older, younger) = draw.people()
            let age = draw.number(4...12, 15...60), gap = draw.number(2...9, 11...30)
            return Output(
                question: "\(younger.name) is \(age) years old. \(older.name) is \(gap) years older than \(younger.name). How old is \(older.name)?",
                solution: ["\(older.name) is \(age) + \(gap) = \(age + gap) years old."],
                answer: age + gap
            )
        },
        .init(name: "distance", steps: 1) { draw in
            let vehicle = draw.pick(vehicles)
            let speed = draw.number(3...12, 25...95), hours = draw.number(2...5, 3...9)
            return Output(
                question: "A \(vehicle) travels at \(speed) kilometres per hour for \(hours) hours. How many kilometres does it travel?",
                solution: ["It travels \(speed) × \(hours) = \(speed * hours) kilometres."],
                answer: speed * hours
            )
        },
        .init(name: "comparing", steps: 1) { draw in
            let (first, second) = draw.people(), thing = draw.pick(objects)
            let more = draw.number(3...15, 20...99)
            let fewer = draw.int(in: 1...(more - 1))
            return Output(
                question: "\(first.name) has \(more) \(thing) and \(second.name) has \(fewer) \(thing). How many more \(thing) does \(first.name) have than \(second.name)?",
                solution: ["\(first.name) has \(more) - \(fewer) = \(more - fewer) more \(thing)."],
                answer: more - fewer
            )
        },
        .init(name: "rows", steps: 1) { draw in
            let (place, things) = draw.pick(gardens)
            let rows = draw.number(2...9, 11...30), perRow = draw.number(2...9, 12...40)
            return Output(
                question: "A \(place) has \(rows) rows of \(things) with \(perRow) \(things) in each row. How many \(things) are there in the \(place)?",
                solution: ["There are \(rows) × \(perRow) = \(rows * perRow) \(things)."],
                answer: rows * perRow
            )
        },
    ]

    static let twoStep: [WordProblemTemplate] = [
        .init(name: "change", steps: 2) { draw in
            let person = draw.person(), item = draw.pick(goods)
            let count = draw.number(2...6, 4...15), price = draw.number(2...9, 11...30)
            let cost = count * price
            let money = cost + draw.number(1...20, 5...100)
            return Output(
                question: "\(person.name) has $\(money) and buys \(count) \(item) at $\(price) each. How many dollars does \(person.subject) have left?",
                solution: [
                    "The \(item) cost \(count) × \(price) = \(cost) dollars.",
                    "\(person.capitalizedSubject) has \(money) - \(cost) = \(money - cost) dollars left.",
                ],
                answer: money - cost
            )
        },
        .init(name: "keep-and-share", steps: 2) { draw in
            let person = draw.person(), fruit = draw.pick(fruits)
            let kept = draw.number(1...9, 5...30), friends = draw.number(2...5, 3...9), each = draw.number(2...9, 6...25)
            let shared = friends * each, picked = kept + shared
            return Output(
                question: "\(person.name) picks \(picked) \(fruit). \(person.capitalizedSubject) keeps \(kept) and shares the rest equally among \(friends) friends. How many \(fruit) does each friend get?",
                solution: [
                    "\(person.capitalizedSubject) shares \(picked) - \(kept) = \(shared) \(fruit).",
                    "Each friend gets \(shared) ÷ \(friends) = \(each) \(fruit).",
                ],
                answer: each
            )
        },
        .init(name: "ages-times", steps: 2) { draw in
            let (first, second) = draw.people()
            var third = draw.person()
            while third.name == first.name || third.name == second.name { third = draw.person() }
            let (factor, word) = draw.pick([(2, "twice"), (3, "three times")])
            let age = draw.number(3...9, 10...25)
            let older = factor * age, gap = draw.int(in: 1...(older - 1))
            return Output(
                question: "\(first.name) is \(age) years old. \(second.name) is \(word) as old as \(first.name). \(third.name) is \(gap) years younger than \(second.name). How old is \(third.name)?",
                solution: [
                    "\(second.name) is \(factor) × \(age) = \(older) years old.",
                    "\(third.name) is \(older) - \(gap) = \(older - gap) years old.",
                ],
                answer: older - gap
            )
        },
        .init(name: "two-legs", steps: 2) { draw in
            let vehicle = draw.pick(vehicles)
            let speed1 = draw.number(3...12, 25...95), hours1 = draw.number(1...4, 2...6)
            let speed2 = draw.number(3...12, 25...95), hours2 = draw.number(1...4, 2...6)
            let leg1 = speed1 * hours1, leg2 = speed2 * hours2
            return Output(
                question: "A \(vehicle) travels at \(speed1) kilometres per hour for \(hours1) hours, then at \(speed2) kilometres per hour for \(hours2) hours. How many kilometres does it travel in total?",
                solution: [
                    "The first part is \(speed1) × \(hours1) = \(leg1) kilometres and the second is \(speed2) × \(hours2) = \(leg2) kilometres.",
                    "In total it travels \(leg1) + \(leg2) = \(leg1 + leg2) kilometres.",
                ],
                answer: leg1 + leg2
            )
        },
        .init(name: "times-as-many", steps: 2) { draw in
            let (first, second) = draw.people(), thing = draw.pick(objects)
            let count = draw.number(2...12, 15...60), factor = draw.number(2...4, 2...9)
            let theirs = factor * count
            return Output(
                question: "\(first.name) has \(count) \(thing). \(second.name) has \(factor) times as many \(thing) as \(first.name). How many \(thing) do they have together?",
                solution: [
                    "\(second.name) has \(factor) × \(count) = \(theirs) \(thing).",
                    "Together they have \(count) + \(theirs) = \(count + theirs) \(thing).",
                ],
                answer: count + theirs
            )
        },
        .init(name: "saving", steps: 2) { draw in
            let person = draw.person(), treat = draw.pick(treats)
            let weekly = draw.number(2...9, 10...50), weeks = draw.number(2...6, 4...12)
            let saved = weekly * weeks, price = draw.int(in: 1...(saved - 1))
            return Output(
                question: "\(person.name) saves $\(weekly) every week for \(weeks) weeks, then spends $\(price) on a \(treat). How many dollars does \(person.subject) have left?",
                solution: [
                    "\(person.capitalizedSubject) saves \(weekly) × \(weeks) = \(saved) dollars.",
                    "\(person.capitalizedSubject) has \(saved) - \(price) = \(saved - price) dollars left.",
                ],
                answer: saved - price
            )
        },
    ]
}
