extension StoryProblemTemplate {
    /// Twenty one-step templates (levels 1 and 2): 12 training, 4 validation, 4 held-out.
    static let oneStep: [StoryProblemTemplate] = [
        .init("unit-cost", steps: 1, .money, .training) { draw in
            let person = draw.person(), item = draw.pick(stationery)
            let count = draw.number(2...6, 7...15), price = draw.cents(105...495, 515...1295)
            let cost = price * count
            return Story(
                setup: "\(person.name) buys \(count) \(item) that cost \(price.text) each.",
                questions: [
                    "How much does \(person.subject) spend?",
                    "How many dollars does \(person.subject) pay altogether?",
                    "What is the total cost of the \(item), in dollars?",
                ],
                solution: ["The \(item) cost \(count) × \(price.figure) = \(cost.figure) dollars."],
                answer: .money(cost)
            )
        },
        .init("change-from-note", steps: 1, .money, .validation) { draw in
            let person = draw.person(), item = draw.pick(shopItems)
            let price = draw.cents(155...895, 1105...4695)
            let note = draw.note(above: price), change = Cents.dollars(note) - price
            return Story(
                setup: "\(person.name) buys a \(item) for \(price.text) and pays with a $\(note) note.",
                questions: [
                    "How much change does \(person.subject) get?",
                    "How much money should \(person.subject) get back?",
                    "What change, in dollars, does the shop give \(person.object)?",
                ],
                solution: ["\(person.capitalizedSubject) gets \(note) - \(price.figure) = \(change.figure) dollars in change."],
                answer: .money(change)
            )
        },
        .init("price-of-one", steps: 1, .money, .heldOut) { draw in
            let person = draw.person(), snack = draw.pick(snacks)
            let count = draw.number(2...6, 6...12), each = draw.cents(45...295, 105...695)
            let total = each * count
            return Story(
                setup: "\(person.name) pays \(total.text) for \(count) \(snack), all at the same price.",
                questions: [
                    "How much does one \(singular(snack)) cost?",
                    "What is the price of each \(singular(snack)), in dollars?",
                    "How many dollars does a single \(singular(snack)) cost?",
                ],
                solution: ["One \(singular(snack)) costs \(total.figure) ÷ \(count) = \(each.figure) dollars."],
                answer: .money(each)
            )
        },
        .init("more-than", steps: 1, .comparison, .training) { draw in
            let people = draw.people(2), thing = draw.pick(collectibles)
            let base = draw.number(5...30, 40...250), extra = draw.number(2...15, 15...120)
            return Story(
                setup: "\(people[0].name) has \(base) \(thing). \(people[1].name) has \(extra) more \(thing) than \(people[0].name).",
                questions: [
                    "How many \(thing) does \(people[1].name) have?",
                    "What is the number of \(thing) \(people[1].name) has?",
                ],
                solution: ["\(people[1].name) has \(base) + \(extra) = \(base + extra) \(thing)."],
                answer: .count(base + extra)
            )
        },
        .init("fewer-than-colours", steps: 1, .comparison, .training, distractor: true) { draw in
            let colours = draw.distinct(StoryProblemTemplate.colours, 3), item = draw.pick(["balloons", "cups", "flags", "hats", "plates"])
            let more = draw.number(12...40, 60...300), other = draw.number(3...30, 20...200)
            let fewer = draw.int(in: 2...(more - 2))
            return Story(
                setup: "At a party there are \(more) \(colours[0]) \(item), \(fewer) \(colours[1]) \(item) and \(other) \(colours[2]) \(item).",
                questions: [
                    "How many fewer \(colours[1]) \(item) are there than \(colours[0]) \(item)?",
                    "How many more \(colours[0]) \(item) than \(colours[1]) \(item) are there?",
                    "By how many do the \(colours[0]) \(item) outnumber the \(colours[1]) ones?",
                ],
                solution: ["There are \(more) - \(fewer) = \(more - fewer) fewer \(colours[1]) \(item) than \(colours[0]) ones."],
                answer: .count(more - fewer)
            )
        },
        .init("scaled-collection", steps: 1, .comparison, .heldOut) { draw in
            let people = draw.people(2), thing = draw.pick(collectibles)
            let base = draw.number(3...12, 12...60), factor = draw.number(2...5, 3...9)
            return Story(
                setup: "\(people[0].name) has \(base) \(thing). \(people[1].name) has \(times(factor)) as many \(thing) as \(people[0].name).",
                questions: [
                    "How many \(thing) does \(people[1].name) have?",
                    "How many \(thing) are in \(people[1].name)'s collection?",
                    "What number of \(thing) does \(people[1].name) own?",
                ],
                solution: ["\(people[1].name) has \(factor) × \(base) = \(factor * base) \(thing)."],
                answer: .count(factor * base)
            )
        },
        .init("distance-at-speed", steps: 1, .rate, .training) { draw in
            let vehicle = draw.pick(vehicles)
            let speed = draw.number(5...20, 35...120), hours = draw.number(2...5, 3...9)
            return Story(
                setup: "A \(vehicle) travels at a steady \(speed) kilometres per hour for \(hours) hours.",
                questions: [
                    "How many kilometres does it travel?",
                    "How far does the \(vehicle) go, in kilometres?",
                    "What distance does it cover, in kilometres?",
                ],
                solution: ["It travels \(speed) × \(hours) = \(speed * hours) kilometres."],
                answer: .count(speed * hours)
            )
        },
        .init("hourly-wage", steps: 1, .rate, .validation) { draw in
            let person = draw.person(), place = draw.pick(["bakery", "library", "farm", "shop", "cafe"])
            let rate = draw.number(6...15, 12...40), hours = draw.number(2...8, 9...40)
            let pay = Cents.dollars(rate * hours)
            return Story(
                setup: "\(person.name) earns $\(rate) an hour helping at a \(place). This month \(person.subject) works \(hours) hours.",
                questions: [
                    "How much does \(person.subject) earn this month?",
                    "How many dollars does \(person.subject) make for those hours?",
                    "What is \(person.possessive) pay for the month, in dollars?",
                ],
                solution: ["\(person.capitalizedSubject) earns \(rate) × \(hours) = \(pay.figure) dollars."],
                answer: .money(pay)
            )
        },
        .init("time-for-distance", steps: 1, .rate, .heldOut) { draw in
            let person = draw.person(), verb = draw.pick(walkers)
            let speed = draw.number(3...8, 9...25), hours = draw.number(2...6, 3...12)
            let distance = speed * hours
            return Story(
                setup: "\(person.name) \(verb) at a steady \(speed) kilometres per hour.",
                questions: [
                    "How many hours does it take \(person.object) to cover \(distance) kilometres?",
                    "How long, in hours, does a \(distance) kilometre trip take \(person.object)?",
                    "In how many hours does \(person.subject) cover \(distance) kilometres?",
                ],
                solution: ["It takes \(distance) ÷ \(speed) = \(hours) hours."],
                answer: .count(hours)
            )
        },
        .init("equal-shares", steps: 1, .sharing, .training) { draw in
            let person = draw.person(), thing = draw.pick(collectibles)
            let friends = draw.number(2...6, 4...12), each = draw.number(2...10, 8...40)
            let total = friends * each
            return Story(
                setup: "\(person.name) shares \(total) \(thing) equally among \(friends) friends.",
                questions: [
                    "How many \(thing) does each friend get?",
                    "How many \(thing) end up with each friend?",
                    "What is each friend's share of the \(thing)?",
                ],
                solution: ["Each friend gets \(total) ÷ \(friends) = \(each) \(thing)."],
                answer: .count(each)
            )
        },
        .init("boxes-needed", steps: 1, .sharing, .training) { draw in
            let (items, containers) = draw.pick([
                ("eggs", "cartons"), ("cupcakes", "trays"), ("pencils", "packs"), ("apples", "crates"), ("stickers", "sheets"),
            ])
            let perBox = draw.number(4...12, 6...24), boxes = draw.number(2...9, 8...40)
            let total = perBox * boxes
            return Story(
                setup: "A worker packs \(total) \(items) into \(containers) that hold \(perBox) each.",
                questions: [
                    "How many \(containers) does the worker fill?",
                    "How many \(containers) are needed for all the \(items)?",
                ],
                solution: ["The worker fills \(total) ÷ \(perBox) = \(boxes) \(containers)."],
                answer: .count(boxes)
            )
        },
        .init("part-of-class", steps: 1, .sharing, .validation, distractor: true) { draw in
            let group = draw.large ? "year group" : "class"
            let size = draw.number(18...32, 80...250), teachers = draw.number(2...4, 5...12)
            let boys = draw.int(in: 5...(size - 5))
            return Story(
                setup: "A \(group) has \(size) pupils and \(teachers) teachers. Of the pupils, \(boys) are boys.",
                questions: [
                    "How many of the pupils are girls?",
                    "How many girls are in the \(group)?",
                ],
                solution: ["There are \(size) - \(boys) = \(size - boys) girls."],
                answer: .count(size - boys)
            )
        },
        .init("room-area", steps: 1, .measurement, .training) { draw in
            let room = draw.pick(rooms)
            let length = draw.number(3...9, 10...30), width = draw.number(2...8, 6...25)
            return Story(
                setup: "A \(room) is \(length) metres long and \(width) metres wide.",
                questions: [
                    "What is the area of its floor in square metres?",
                    "How many square metres of floor does it have?",
                    "What floor area, in square metres, does the \(room) have?",
                ],
                solution: ["The area is \(length) × \(width) = \(length * width) square metres."],
                answer: .count(length * width)
            )
        },
        .init("square-perimeter", steps: 1, .measurement, .heldOut) { draw in
            let plot = draw.pick(plots)
            let side = draw.number(3...15, 16...90)
            return Story(
                setup: "A square \(plot) has sides \(side) metres long. A fence goes all the way around it.",
                questions: [
                    "How many metres of fence are needed?",
                    "What is the perimeter of the \(plot) in metres?",
                    "How long is the fence, in metres?",
                ],
                solution: ["A square has four equal sides, so the fence is 4 × \(side) = \(4 * side) metres."],
                answer: .count(4 * side)
            )
        },
        .init("minutes-together", steps: 1, .time, .training) { draw in
            let person = draw.person(), pastime = draw.pick(pastimes)
            let morning = draw.number(10...45, 35...95), evening = draw.number(10...45, 35...95)
            return Story(
                setup: "\(person.name) spends \(morning) minutes on \(pastime) in the morning and \(evening) minutes in the evening.",
                questions: [
                    "How many minutes does \(person.subject) spend on \(pastime) altogether?",
                    "What is the total time, in minutes?",
                    "How many minutes is that in all?",
                ],
                solution: ["\(person.capitalizedSubject) spends \(morning) + \(evening) = \(morning + evening) minutes."],
                answer: .count(morning + evening)
            )
        },
        .init("hours-in-minutes", steps: 1, .time, .validation) { draw in
            let event = draw.large
                ? draw.pick(["long flight", "road trip", "sailing race", "charity walk"])
                : draw.pick(["boat trip", "hike", "workshop", "train journey"])
            let hours = draw.number(2...4, 5...16)
            return Story(
                setup: "A \(event) lasts \(hours) hours.",
                questions: [
                    "How many minutes long is it?",
                    "How many minutes does the \(event) last?",
                    "What is its length in minutes?",
                ],
                solution: ["An hour has 60 minutes, so it lasts \(hours) × 60 = \(hours * 60) minutes."],
                answer: .count(hours * 60)
            )
        },
        .init("age-in-future", steps: 1, .ages, .training) { draw in
            let person = draw.person()
            let age = draw.number(4...12, 13...60), years = draw.number(2...9, 10...35)
            return Story(
                setup: "\(person.name) is \(age) years old.",
                questions: [
                    "How old will \(person.subject) be in \(years) years?",
                    "What age will \(person.subject) reach \(years) years from now?",
                    "In \(years) years, how old will \(person.name) be?",
                ],
                solution: ["In \(years) years \(person.subject) will be \(age) + \(years) = \(age + years) years old."],
                answer: .count(age + years)
            )
        },
        .init("age-gap", steps: 1, .ages, .training) { draw in
            let person = draw.person(), relative = draw.pick(relatives)
            let child = draw.number(4...12, 10...30), parent = child + draw.number(20...35, 22...40)
            return Story(
                setup: "\(person.name) is \(child) years old and \(person.possessive) \(relative) is \(parent).",
                questions: [
                    "How many years older than \(person.name) is \(person.possessive) \(relative)?",
                    "What is the difference between their ages, in years?",
                    "By how many years is the \(relative) older?",
                ],
                solution: ["The \(relative) is \(parent) - \(child) = \(parent - child) years older."],
                answer: .count(parent - child)
            )
        },
        .init("daily-average", steps: 1, .average, .training) { draw in
            let person = draw.person(), (verb, base, unit) = draw.pick(activities)
            let days = draw.number(3...7, 5...10), mean = draw.number(2...12, 8...45)
            let total = days * mean
            return Story(
                setup: "Over \(days) days \(person.name) \(verb) \(total) \(unit) in all.",
                questions: [
                    "On average, how many \(unit) does \(person.subject) \(base) each day?",
                    "What is the mean number of \(unit) per day?",
                ],
                solution: ["On average \(person.subject) \(verb) \(total) ÷ \(days) = \(mean) \(unit) a day."],
                answer: .count(mean)
            )
        },
        .init("percent-of-group", steps: 1, .percent, .training) { draw in
            let (percent, share) = draw.pick(simplePercents), (things, place, doing) = draw.pick(percentGroups)
            let part = draw.number(2...15, 12...90)
            let whole = part * share
            return Story(
                setup: "There are \(whole) \(things) in \(place), and \(percent)% of them \(doing).",
                questions: [
                    "How many of the \(things) \(doing)?",
                    "How many \(things) \(doing)?",
                ],
                solution: ["\(percent)% is 1 in \(share), so \(whole) ÷ \(share) = \(part) of them \(doing)."],
                answer: .count(part)
            )
        },
    ]
}
