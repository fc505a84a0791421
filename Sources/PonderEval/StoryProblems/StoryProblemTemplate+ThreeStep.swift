extension StoryProblemTemplate {
    /// Twenty-two three-step templates (levels 5 and 6): 12 training, 5 validation, 5 held-out.
    static let threeStep: [StoryProblemTemplate] = threeStepMoneyAndRates + threeStepMeasures

    /// Three-step money, comparisons, rates and shares (the rest are in `+ThreeStepMeasures`).
    static let threeStepMoneyAndRates: [StoryProblemTemplate] = [
        .init("shopping-total", steps: 3, .money, .training) { draw in
            let person = draw.person(), items = draw.distinct(stationery, 2)
            let firstCount = draw.number(2...5, 3...9), firstPrice = draw.cents(35...295, 110...650)
            let secondCount = draw.number(2...5, 3...9), secondPrice = draw.cents(35...295, 110...650)
            let first = firstPrice * firstCount, second = secondPrice * secondCount
            return Story(
                setup: "\(person.name) buys \(firstCount) \(items[0]) at \(firstPrice.text) each and \(secondCount) \(items[1]) at \(secondPrice.text) each.",
                questions: [
                    "How much does \(person.subject) spend altogether?",
                    "What is the total cost, in dollars?",
                    "How many dollars does \(person.subject) pay in all?",
                ],
                solution: [
                    "The \(items[0]) cost \(firstCount) × \(firstPrice.figure) = \(first.figure) dollars.",
                    "The \(items[1]) cost \(secondCount) × \(secondPrice.figure) = \(second.figure) dollars.",
                    "Altogether that is \(first.figure) + \(second.figure) = \((first + second).figure) dollars.",
                ],
                answer: .money(first + second)
            )
        },
        .init("shopping-change", steps: 3, .money, .training) { draw in
            let person = draw.person(), snack = draw.pick(snacks), drink = draw.pick(["juice", "milkshake", "smoothie", "lemonade"])
            let count = draw.number(2...4, 3...8), price = draw.cents(45...295, 125...695), drinkPrice = draw.cents(95...295, 150...495)
            let snacksCost = price * count, total = snacksCost + drinkPrice
            let note = draw.note(above: total), change = Cents.dollars(note) - total
            return Story(
                setup: "\(person.name) buys \(count) \(snack) at \(price.text) each and a \(drink) for \(drinkPrice.text). \(person.capitalizedSubject) pays with a $\(note) note.",
                questions: [
                    "How much change does \(person.subject) get?",
                    "How much money comes back to \(person.object)?",
                    "What change, in dollars, should \(person.subject) receive?",
                ],
                solution: [
                    "The \(snack) cost \(count) × \(price.figure) = \(snacksCost.figure) dollars.",
                    "With the \(drink) that is \(snacksCost.figure) + \(drinkPrice.figure) = \(total.figure) dollars.",
                    "The change is \(note) - \(total.figure) = \(change.figure) dollars.",
                ],
                answer: .money(change)
            )
        },
        .init("unit-price-compare", steps: 3, .money, .heldOut) { draw in
            let item = draw.pick(stationery)
            let small = draw.number(2...5, 3...8), large = small + draw.number(2...6, 3...12)
            let largeUnit = draw.cents(25...150, 60...400), smallUnit = largeUnit + Cents(5 * draw.int(in: 1...(draw.large ? 30 : 10)))
            let smallPack = smallUnit * small, largePack = largeUnit * large
            return Story(
                setup: "A pack of \(small) \(item) costs \(smallPack.text). A pack of \(large) \(item) costs \(largePack.text).",
                questions: [
                    "How much more does one \(singular(item)) cost in the smaller pack than in the larger one?",
                    "By how much, in dollars, is a single \(singular(item)) dearer in the pack of \(small)?",
                ],
                solution: [
                    "In the small pack one costs \(smallPack.figure) ÷ \(small) = \(smallUnit.figure) dollars.",
                    "In the large pack one costs \(largePack.figure) ÷ \(large) = \(largeUnit.figure) dollars.",
                    "The difference is \(smallUnit.figure) - \(largeUnit.figure) = \((smallUnit - largeUnit).figure) dollars.",
                ],
                answer: .money(smallUnit - largeUnit)
            )
        },
        .init("weekend-pay", steps: 3, .rate, .training) { draw in
            let person = draw.person(), treat = draw.pick(["a jacket", "a concert ticket", "a present", "new shoes"])
            let rate = draw.cents(600...1200, 1000...2500, step: 25)
            let saturday = draw.number(2...5, 4...9), sunday = draw.number(2...4, 3...8)
            let hours = saturday + sunday, earned = rate * hours
            let spent = Cents(5 * draw.int(in: 20...((earned.value - 100) / 5)))
            return Story(
                setup: "\(person.name) earns \(rate.text) an hour. \(person.capitalizedSubject) works \(saturday) hours on Saturday and \(sunday) hours on Sunday, then spends \(spent.text) on \(treat).",
                questions: [
                    "How much of \(person.possessive) pay is left?",
                    "How many dollars does \(person.subject) have left?",
                    "What amount of money remains?",
                ],
                solution: [
                    "\(person.capitalizedSubject) works \(saturday) + \(sunday) = \(hours) hours.",
                    "\(person.capitalizedSubject) earns \(hours) × \(rate.figure) = \(earned.figure) dollars.",
                    "\(person.capitalizedSubject) has \(earned.figure) - \(spent.figure) = \((earned - spent).figure) dollars left.",
                ],
                answer: .money(earned - spent)
            )
        },
        .init("three-friends-compare", steps: 3, .comparison, .training) { draw in
            let people = draw.people(3), thing = draw.pick(collectibles)
            let base = draw.number(3...10, 10...40), factor = draw.number(2...4, 3...8)
            let second = factor * base, gap = draw.int(in: 1...(second - base - 1)), third = second - gap
            return Story(
                setup: "\(people[0].name) has \(base) \(thing). \(people[1].name) has \(times(factor)) as many as \(people[0].name), and \(people[2].name) has \(gap) fewer than \(people[1].name).",
                questions: [
                    "How many more \(thing) does \(people[2].name) have than \(people[0].name)?",
                    "By how many \(thing) does \(people[2].name)'s collection beat \(people[0].name)'s?",
                ],
                solution: [
                    "\(people[1].name) has \(factor) × \(base) = \(second) \(thing).",
                    "\(people[2].name) has \(second) - \(gap) = \(third) \(thing).",
                    "That is \(third) - \(base) = \(third - base) more than \(people[0].name).",
                ],
                answer: .count(third - base)
            )
        },
        .init("more-fewer-chain", steps: 3, .comparison, .training) { draw in
            let colours = draw.distinct(StoryProblemTemplate.colours, 3), flower = draw.pick(["roses", "tulips", "carnations"])
            let first = draw.number(15...40, 60...300), fewer = draw.int(in: 2...(first / 2)), more = draw.number(2...15, 10...80)
            let second = first - fewer, third = second + more
            return Story(
                setup: "A florist has \(first) \(colours[0]) \(flower), \(fewer) fewer \(colours[1]) \(flower) than \(colours[0]) ones, and \(more) more \(colours[2]) \(flower) than \(colours[1]) ones.",
                questions: [
                    "How many \(colours[1]) and \(colours[2]) \(flower) are there together?",
                    "What is the total of the \(colours[1]) and \(colours[2]) \(flower)?",
                ],
                solution: [
                    "There are \(first) - \(fewer) = \(second) \(colours[1]) \(flower).",
                    "There are \(second) + \(more) = \(third) \(colours[2]) \(flower).",
                    "Together that is \(second) + \(third) = \(second + third) \(flower).",
                ],
                answer: .count(second + third)
            )
        },
        .init("two-speeds-total", steps: 3, .rate, .training) { draw in
            let vehicle = draw.pick(vehicles)
            let firstSpeed = draw.number(10...30, 40...110), firstHours = draw.number(2...4, 2...6)
            let secondSpeed = draw.number(10...30, 40...110), secondHours = draw.number(2...4, 2...6)
            let first = firstSpeed * firstHours, second = secondSpeed * secondHours
            return Story(
                setup: "A \(vehicle) travels at \(firstSpeed) kilometres per hour for \(firstHours) hours, then at \(secondSpeed) kilometres per hour for \(secondHours) hours.",
                questions: [
                    "How many kilometres does it travel in total?",
                    "What total distance does it cover, in kilometres?",
                ],
                solution: [
                    "The first part is \(firstSpeed) × \(firstHours) = \(first) kilometres.",
                    "The second part is \(secondSpeed) × \(secondHours) = \(second) kilometres.",
                    "In total it travels \(first) + \(second) = \(first + second) kilometres.",
                ],
                answer: .count(first + second)
            )
        },
        .init("trip-remaining-hours", steps: 3, .rate, .validation) { draw in
            let vehicle = draw.pick(vehicles)
            let firstSpeed = draw.number(20...50, 40...100), firstHours = draw.number(2...3, 2...5)
            let secondSpeed = draw.number(10...40, 30...90), secondHours = draw.number(2...3, 2...5)
            let first = firstSpeed * firstHours, rest = secondSpeed * secondHours, total = first + rest
            return Story(
                setup: "A \(vehicle) trip is \(total) kilometres long. For the first \(firstHours) hours the \(vehicle) travels at \(firstSpeed) kilometres per hour, and then it slows to \(secondSpeed) kilometres per hour.",
                questions: [
                    "How many hours does the rest of the trip take?",
                    "How long, in hours, is the second part of the trip?",
                ],
                solution: [
                    "The first part is \(firstSpeed) × \(firstHours) = \(first) kilometres.",
                    "That leaves \(total) - \(first) = \(rest) kilometres.",
                    "The rest takes \(rest) ÷ \(secondSpeed) = \(secondHours) hours.",
                ],
                answer: .count(secondHours)
            )
        },
        .init("team-packing", steps: 3, .rate, .training, distractor: true) { draw in
            let good = draw.pick(goods)
            let rate = draw.number(5...15, 12...40), workers = draw.number(2...5, 4...12), hours = draw.number(2...4, 3...8)
            let weight = draw.number(2...9, 3...25)
            let perHour = rate * workers, total = perHour * hours, sent = draw.int(in: 1...(total - 2))
            return Story(
                setup: "Each worker packs \(rate) \(good) an hour, and each of the \(good) weighs \(weight) kilograms. A team of \(workers) workers packs for \(hours) hours, and \(sent) of the \(good) are sent away at once.",
                questions: [
                    "How many \(good) are still waiting to be sent?",
                    "How many packed \(good) are not sent yet?",
                ],
                solution: [
                    "Each hour the team packs \(rate) × \(workers) = \(perHour) \(good).",
                    "In \(hours) hours that is \(perHour) × \(hours) = \(total) \(good).",
                    "Still waiting: \(total) - \(sent) = \(total - sent) \(good).",
                ],
                answer: .count(total - sent)
            )
        },
        .init("buy-and-share", steps: 3, .sharing, .training) { draw in
            let person = draw.person(), thing = draw.pick(collectibles)
            let packs = draw.number(2...5, 3...10), perPack = draw.number(6...12, 10...30), friends = draw.number(2...5, 3...9)
            let total = packs * perPack, most = (total - 1) / friends   // at least 2: 12 or more shared by at most 5
            let each = draw.int(in: max(2, most / 2)...most), shared = friends * each
            return Story(
                setup: "\(person.name) buys \(packs) packs of \(perPack) \(thing). \(person.capitalizedSubject) keeps \(total - shared) and shares the rest equally among \(friends) friends.",
                questions: [
                    "How many \(thing) does each friend get?",
                    "How many \(thing) does each friend receive?",
                    "What is each friend's share of the \(thing)?",
                ],
                solution: [
                    "\(person.capitalizedSubject) buys \(packs) × \(perPack) = \(total) \(thing).",
                    "\(person.capitalizedSubject) shares \(total) - \(total - shared) = \(shared) \(thing).",
                    "Each friend gets \(shared) ÷ \(friends) = \(each) \(thing).",
                ],
                answer: .count(each)
            )
        },
        .init("trip-groups", steps: 3, .sharing, .heldOut) { draw in
            let classes = draw.number(2...4, 4...9), size = draw.number(15...30, 22...35), groups = draw.number(2...5, 4...10)
            let total = classes * size, most = (total - 1) / groups
            let each = draw.int(in: max(1, most / 2)...most), staying = groups * each
            return Story(
                setup: "A school has \(classes) classes of \(size) pupils. Of these, \(total - staying) go on a trip, and the others are split into \(groups) equal groups.",
                questions: [
                    "How many pupils are in each group?",
                    "How many pupils does each group have?",
                ],
                solution: [
                    "The school has \(classes) × \(size) = \(total) pupils.",
                    "Staying behind: \(total) - \(total - staying) = \(staying) pupils.",
                    "Each group has \(staying) ÷ \(groups) = \(each) pupils.",
                ],
                answer: .count(each)
            )
        },
    ]
}
