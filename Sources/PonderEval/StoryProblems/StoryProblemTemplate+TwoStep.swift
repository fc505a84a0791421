extension StoryProblemTemplate {
    /// Twenty two-step templates (levels 3 and 4): 12 training, 4 validation, 4 held-out.
    static let twoStep: [StoryProblemTemplate] = [
        .init("change-after-buying", steps: 2, .money, .training) { draw in
            let person = draw.person(), item = draw.pick(stationery)
            let count = draw.number(2...5, 4...9), price = draw.cents(55...395, 125...895)
            let cost = price * count
            let note = draw.note(above: cost), change = Cents.dollars(note) - cost
            return Story(
                setup: "\(person.name) buys \(count) \(item) at \(price.text) each and pays with a $\(note) note.",
                questions: [
                    "How much change does \(person.subject) get?",
                    "How much money does \(person.subject) get back?",
                    "What is \(person.possessive) change, in dollars?",
                ],
                solution: [
                    "The \(item) cost \(count) × \(price.figure) = \(cost.figure) dollars.",
                    "\(person.capitalizedSubject) gets \(note) - \(cost.figure) = \(change.figure) dollars back.",
                ],
                answer: .money(change)
            )
        },
        .init("items-and-extra", steps: 2, .money, .training) { draw in
            let person = draw.person(), item = draw.pick(stationery)
            let extra = draw.pick(["school bag", "pencil case", "lunch box", "water bottle"])
            let count = draw.number(2...6, 5...12)
            let price = draw.cents(35...250, 110...650), extraPrice = draw.cents(95...495, 250...1250)
            let items = price * count, total = items + extraPrice
            return Story(
                setup: "\(person.name) buys \(count) \(item) at \(price.text) each and a \(extra) for \(extraPrice.text).",
                questions: [
                    "How much does \(person.subject) spend altogether?",
                    "What is the total cost, in dollars?",
                    "How much money does \(person.subject) pay in all?",
                ],
                solution: [
                    "The \(item) cost \(count) × \(price.figure) = \(items.figure) dollars.",
                    "Altogether \(person.subject) spends \(items.figure) + \(extraPrice.figure) = \(total.figure) dollars.",
                ],
                answer: .money(total)
            )
        },
        .init("pay-then-spend", steps: 2, .money, .training) { draw in
            let person = draw.person(), treat = draw.pick(["a book", "lunch", "a gift", "a ticket", "a board game"])
            let rate = draw.cents(500...1200, 1000...2500, step: 25), hours = draw.number(2...5, 4...10)
            let earned = rate * hours
            let spent = Cents(5 * draw.int(in: 20...((earned.value - 100) / 5)))
            let left = earned - spent
            return Story(
                setup: "\(person.name) earns \(rate.text) an hour and works for \(hours) hours. Then \(person.subject) spends \(spent.text) on \(treat).",
                questions: [
                    "How much money does \(person.subject) have left?",
                    "How many dollars remain after that?",
                    "What amount is left from \(person.possessive) pay?",
                ],
                solution: [
                    "\(person.capitalizedSubject) earns \(hours) × \(rate.figure) = \(earned.figure) dollars.",
                    "\(person.capitalizedSubject) has \(earned.figure) - \(spent.figure) = \(left.figure) dollars left.",
                ],
                answer: .money(left)
            )
        },
        .init("more-then-together", steps: 2, .comparison, .training) { draw in
            let people = draw.people(2), thing = draw.pick(collectibles)
            let base = draw.number(5...25, 30...200), extra = draw.number(2...12, 10...90)
            let second = base + extra
            return Story(
                setup: "\(people[0].name) has \(base) \(thing). \(people[1].name) has \(extra) more than \(people[0].name).",
                questions: [
                    "How many \(thing) do they have together?",
                    "How many \(thing) do the two of them have in total?",
                    "What is the total number of \(thing) they have?",
                ],
                solution: [
                    "\(people[1].name) has \(base) + \(extra) = \(second) \(thing).",
                    "Together they have \(base) + \(second) = \(base + second) \(thing).",
                ],
                answer: .count(base + second)
            )
        },
        .init("fewer-then-together", steps: 2, .comparison, .validation) { draw in
            let colours = draw.distinct(StoryProblemTemplate.colours, 2), item = draw.pick(["tulips", "roses", "balloons", "buttons", "beads"])
            let more = draw.number(12...40, 50...300)
            let gap = draw.int(in: 2...(more - 2)), fewer = more - gap
            return Story(
                setup: "A shop has \(more) \(colours[0]) \(item). It has \(gap) fewer \(colours[1]) \(item) than \(colours[0]) ones.",
                questions: [
                    "How many \(colours[0]) and \(colours[1]) \(item) does the shop have altogether?",
                    "How many \(item) of the two colours are there in total?",
                ],
                solution: [
                    "There are \(more) - \(gap) = \(fewer) \(colours[1]) \(item).",
                    "Altogether there are \(more) + \(fewer) = \(more + fewer) \(item).",
                ],
                answer: .count(more + fewer)
            )
        },
        .init("times-then-more", steps: 2, .comparison, .training) { draw in
            let people = draw.people(2), thing = draw.pick(collectibles)
            let base = draw.number(3...12, 10...50), factor = draw.number(2...5, 3...9)
            let product = factor * base
            return Story(
                setup: "\(people[0].name) has \(base) \(thing). \(people[1].name) has \(times(factor)) as many \(thing) as \(people[0].name).",
                questions: [
                    "How many more \(thing) does \(people[1].name) have than \(people[0].name)?",
                    "How many fewer \(thing) does \(people[0].name) have than \(people[1].name)?",
                    "By how many \(thing) is \(people[1].name)'s collection bigger?",
                ],
                solution: [
                    "\(people[1].name) has \(factor) × \(base) = \(product) \(thing).",
                    "That is \(product) - \(base) = \(product - base) more.",
                ],
                answer: .count(product - base)
            )
        },
        .init("drive-then-extra", steps: 2, .rate, .training) { draw in
            let vehicle = draw.pick(vehicles)
            let speed = draw.number(10...30, 40...110), hours = draw.number(2...4, 3...8), extra = draw.number(5...30, 20...150)
            let first = speed * hours
            return Story(
                setup: "A \(vehicle) travels at \(speed) kilometres per hour for \(hours) hours and then another \(extra) kilometres.",
                questions: [
                    "How many kilometres does it travel in all?",
                    "What is the total distance, in kilometres?",
                    "How far does the \(vehicle) go altogether, in kilometres?",
                ],
                solution: [
                    "The first part is \(speed) × \(hours) = \(first) kilometres.",
                    "In all it travels \(first) + \(extra) = \(first + extra) kilometres.",
                ],
                answer: .count(first + extra)
            )
        },
        .init("machine-crates", steps: 2, .rate, .validation) { draw in
            let good = draw.pick(goods)
            let crate = draw.large ? draw.pick([6, 8, 10, 12, 20]) : draw.pick([2, 4, 5, 6])
            let rate = crate * draw.number(1...4, 2...6), minutes = draw.number(2...6, 5...15)
            let total = rate * minutes
            return Story(
                setup: "A machine fills \(rate) \(good) every minute. It runs for \(minutes) minutes, and the \(good) are packed in crates of \(crate).",
                questions: [
                    "How many crates are filled?",
                    "How many full crates does that make?",
                    "What number of crates do the \(good) fill?",
                ],
                solution: [
                    "The machine fills \(rate) × \(minutes) = \(total) \(good).",
                    "That makes \(total) ÷ \(crate) = \(total / crate) crates.",
                ],
                answer: .count(total / crate)
            )
        },
        .init("keep-then-share", steps: 2, .sharing, .training) { draw in
            let person = draw.person(), thing = draw.pick(collectibles)
            let kept = draw.number(2...9, 5...40), friends = draw.number(2...6, 3...12), each = draw.number(2...9, 5...30)
            let shared = friends * each, total = kept + shared
            return Story(
                setup: "\(person.name) has \(total) \(thing). \(person.capitalizedSubject) keeps \(kept) and shares the rest equally among \(friends) friends.",
                questions: [
                    "How many \(thing) does each friend get?",
                    "How many \(thing) go to each friend?",
                    "What is each friend's share of the \(thing)?",
                ],
                solution: [
                    "\(person.capitalizedSubject) shares \(total) - \(kept) = \(shared) \(thing).",
                    "Each friend gets \(shared) ÷ \(friends) = \(each) \(thing).",
                ],
                answer: .count(each)
            )
        },
        .init("part-split", steps: 2, .sharing, .heldOut) { draw in
            let colours = draw.distinct(StoryProblemTemplate.colours, 3), item = draw.pick(["sweets", "beads", "marbles", "balloons"])
            let first = draw.number(4...20, 20...150), each = draw.number(3...15, 15...100)
            let rest = 2 * each, total = first + rest
            return Story(
                setup: "A bag holds \(total) \(item). Of these, \(first) are \(colours[0]), and the rest are split equally between \(colours[1]) and \(colours[2]).",
                questions: [
                    "How many \(colours[2]) \(item) are there?",
                    "How many of the \(item) are \(colours[2])?",
                ],
                solution: [
                    "The \(colours[1]) and \(colours[2]) \(item) together are \(total) - \(first) = \(rest).",
                    "There are \(rest) ÷ 2 = \(each) \(colours[2]) \(item).",
                ],
                answer: .count(each)
            )
        },
        .init("rectangle-perimeter", steps: 2, .measurement, .training) { draw in
            let plot = draw.pick(plots)
            let length = draw.number(4...15, 15...90)
            let width = draw.int(in: max(2, length / 3)...(length - 1))
            let half = length + width
            return Story(
                setup: "A rectangular \(plot) is \(length) metres long and \(width) metres wide.",
                questions: [
                    "What is its perimeter in metres?",
                    "How many metres of fence go all the way around it?",
                    "How far is it, in metres, to walk once around the edge?",
                ],
                solution: [
                    "One length and one width make \(length) + \(width) = \(half) metres.",
                    "The perimeter is 2 × \(half) = \(2 * half) metres.",
                ],
                answer: .count(2 * half)
            )
        },
        .init("uncovered-floor", steps: 2, .measurement, .heldOut) { draw in
            let room = draw.pick(rooms)
            let length = draw.number(3...8, 8...20), width = draw.number(3...7, 5...15)
            let area = length * width, rug = draw.int(in: 2...(area - 2))
            return Story(
                setup: "A \(room) floor is \(length) metres by \(width) metres. A rug covers \(rug) square metres of it.",
                questions: [
                    "How many square metres of the floor are not covered?",
                    "What area of floor, in square metres, is left bare?",
                ],
                solution: [
                    "The floor is \(length) × \(width) = \(area) square metres.",
                    "The uncovered part is \(area) - \(rug) = \(area - rug) square metres.",
                ],
                answer: .count(area - rug)
            )
        },
        .init("practice-hours", steps: 2, .time, .training) { draw in
            let person = draw.person(), pastime = draw.pick(pastimes)
            let minutes = draw.large ? draw.pick([20, 30, 40, 45]) : draw.pick([15, 20, 30])
            // Days in whole hours' worth: 60 / gcd(minutes, 60) of them make a whole number of hours.
            let unit = [15: 4, 20: 3, 30: 2, 40: 3, 45: 4][minutes] ?? 1
            let days = unit * draw.number(2...4, 2...6)
            let total = minutes * days
            return Story(
                setup: "\(person.name) spends \(minutes) minutes on \(pastime) every day for \(days) days.",
                questions: [
                    "How many hours is that in total?",
                    "How many hours does \(person.subject) spend on \(pastime) altogether?",
                ],
                solution: [
                    "That is \(minutes) × \(days) = \(total) minutes.",
                    "An hour has 60 minutes, so that is \(total) ÷ 60 = \(total / 60) hours.",
                ],
                answer: .count(total / 60)
            )
        },
        .init("time-left", steps: 2, .time, .heldOut) { draw in
            let person = draw.person()
            let event = draw.large ? draw.pick(["train journey", "bike tour", "road trip"]) : draw.pick(["film", "play", "concert"])
            let hours = draw.number(2...3, 3...8)
            let total = hours * 60, done = draw.int(in: 10...(total - 5))
            return Story(
                setup: "\(person.name)'s \(event) lasts \(hours) hours. So far \(done) minutes of it have gone by.",
                questions: [
                    "How many minutes are left?",
                    "How many more minutes does the \(event) last?",
                    "How many minutes remain until the end?",
                ],
                solution: [
                    "The \(event) lasts \(hours) × 60 = \(total) minutes.",
                    "There are \(total) - \(done) = \(total - done) minutes left.",
                ],
                answer: .count(total - done)
            )
        },
        .init("parent-age-later", steps: 2, .ages, .training) { draw in
            let person = draw.person(), relative = draw.pick(relatives)
            let age = draw.number(5...10, 8...15), factor = draw.number(4...6, 3...5), years = draw.number(2...9, 5...25)
            let parent = factor * age
            return Story(
                setup: "\(person.name) is \(age) years old. \(person.capitalizedPossessive) \(relative) is \(factor) times as old.",
                questions: [
                    "How old will the \(relative) be in \(years) years?",
                    "In \(years) years, what age will \(person.possessive) \(relative) be?",
                ],
                solution: [
                    "The \(relative) is \(factor) × \(age) = \(parent) years old.",
                    "In \(years) years the \(relative) will be \(parent) + \(years) = \(parent + years).",
                ],
                answer: .count(parent + years)
            )
        },
        .init("sibling-age-ago", steps: 2, .ages, .validation) { draw in
            let people = draw.people(2)
            let older = draw.number(10...16, 20...70), gap = draw.number(2...6, 3...15)
            let younger = older - gap, ago = draw.int(in: 2...(younger - 2))
            return Story(
                setup: "\(people[0].name) is \(older) years old. \(people[1].name) is \(gap) years younger than \(people[0].name).",
                questions: [
                    "How old was \(people[1].name) \(ago) years ago?",
                    "What was \(people[1].name)'s age \(ago) years ago?",
                ],
                solution: [
                    "\(people[1].name) is \(older) - \(gap) = \(younger) years old.",
                    "Back then \(people[1].subject) was \(younger) - \(ago) = \(younger - ago) years old.",
                ],
                answer: .count(younger - ago)
            )
        },
        .init("average-of-two", steps: 2, .average, .training, distractor: true) { draw in
            let person = draw.person(), subject = draw.pick(subjects)
            let mean = draw.number(6...18, 40...90), weeks = draw.number(2...6, 2...9)
            let spread = draw.int(in: 1...(draw.large ? 9 : 4))
            let first = mean + spread, second = mean - spread
            return Story(
                setup: "\(person.name) scores \(first) and \(second) on two \(subject) tests taken \(weeks) weeks apart.",
                questions: [
                    "What is \(person.possessive) average score?",
                    "What is the mean of the two scores?",
                ],
                solution: [
                    "The scores add up to \(first) + \(second) = \(2 * mean).",
                    "The average is \(2 * mean) ÷ 2 = \(mean).",
                ],
                answer: .count(mean)
            )
        },
        .init("sale-price", steps: 2, .percent, .training) { draw in
            let item = draw.pick(shopItems), (percent, share) = draw.pick(simplePercents)
            let price = share * draw.number(2...10, 8...40), discount = price / share
            let sale = Cents.dollars(price - discount)
            return Story(
                setup: "A \(item) costs $\(price). In a sale it is \(percent)% off.",
                questions: [
                    "What is the sale price, in dollars?",
                    "How much does the \(item) cost in the sale?",
                    "How many dollars does it cost after the discount?",
                ],
                solution: [
                    "\(percent)% is 1 in \(share), so the discount is \(price) ÷ \(share) = \(discount) dollars.",
                    "The sale price is \(price) - \(discount) = \(sale.figure) dollars.",
                ],
                answer: .money(sale)
            )
        },
        .init("percent-in-tens", steps: 2, .percent, .validation) { draw in
            let (things, place, doing) = draw.pick(percentGroups)
            let tens = draw.int(in: 2...9), tenth = draw.number(3...15, 12...90)
            let whole = 10 * tenth, part = tens * tenth
            return Story(
                setup: "There are \(whole) \(things) in \(place), and \(10 * tens)% of them \(doing).",
                questions: [
                    "How many \(things) \(doing)?",
                    "How many of the \(things) \(doing)?",
                ],
                solution: [
                    "10% of \(whole) is \(whole) ÷ 10 = \(tenth).",
                    "So \(10 * tens)% is \(tens) × \(tenth) = \(part).",
                ],
                answer: .count(part)
            )
        },
        .init("cards-left", steps: 2, .sharing, .heldOut, distractor: true) { draw in
            let people = draw.people(2), thing = draw.pick(collectibles)
            let packs = draw.number(2...6, 5...15), perPack = draw.number(4...10, 8...25), had = draw.number(3...20, 10...90)
            let total = packs * perPack, given = draw.int(in: 1...(total - 2))
            return Story(
                setup: "\(people[0].name) buys \(packs) packs of \(perPack) \(thing). \(people[0].capitalizedSubject) gives \(given) of them to \(people[1].name), who already had \(had).",
                questions: [
                    "How many \(thing) does \(people[0].name) have left?",
                    "How many of the \(thing) does \(people[0].name) keep?",
                ],
                solution: [
                    "\(people[0].name) buys \(packs) × \(perPack) = \(total) \(thing).",
                    "\(people[0].name) keeps \(total) - \(given) = \(total - given) \(thing).",
                ],
                answer: .count(total - given)
            )
        },
    ]
}
