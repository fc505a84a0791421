extension StoryProblemTemplate {
    /// Three-step areas, perimeters, durations, ages, averages and percentages.
    static let threeStepMeasures: [StoryProblemTemplate] = [
        .init("garden-without-pond", steps: 3, .measurement, .validation) { draw in
            let plot = draw.pick(["garden", "park", "yard", "field"])
            let length = draw.number(6...15, 15...60), width = draw.number(4...12, 10...40)
            let pondLength = draw.int(in: 2...min(length - 2, draw.large ? 12 : 5))
            let pondWidth = draw.int(in: 2...min(width - 2, draw.large ? 8 : 4))
            let area = length * width, pond = pondLength * pondWidth
            return Story(
                setup: "A \(plot) is \(length) metres by \(width) metres. A pond in it is \(pondLength) metres by \(pondWidth) metres.",
                questions: [
                    "How many square metres of the \(plot) are not taken up by the pond?",
                    "What area, in square metres, is left around the pond?",
                ],
                solution: [
                    "The \(plot) is \(length) × \(width) = \(area) square metres.",
                    "The pond is \(pondLength) × \(pondWidth) = \(pond) square metres.",
                    "That leaves \(area) - \(pond) = \(area - pond) square metres.",
                ],
                answer: .count(area - pond)
            )
        },
        .init("fence-cost", steps: 3, .measurement, .training) { draw in
            let plot = draw.pick(plots)
            let length = draw.number(5...15, 15...60)
            let width = draw.int(in: max(2, length / 3)...(length - 1))
            let price = draw.cents(150...650, 350...1250, step: 25)
            let half = length + width, perimeter = 2 * half, cost = price * perimeter
            return Story(
                setup: "A rectangular \(plot) is \(length) metres long and \(width) metres wide. Fencing costs \(price.text) per metre.",
                questions: [
                    "How much does it cost to fence the whole \(plot)?",
                    "What is the price, in dollars, of a fence all the way around it?",
                ],
                solution: [
                    "One length and one width make \(length) + \(width) = \(half) metres.",
                    "The perimeter is 2 × \(half) = \(perimeter) metres.",
                    "The fence costs \(perimeter) × \(price.figure) = \(cost.figure) dollars.",
                ],
                answer: .money(cost)
            )
        },
        .init("tile-cost", steps: 3, .measurement, .validation) { draw in
            let room = draw.pick(rooms)
            let length = draw.number(3...8, 6...20), width = draw.number(2...6, 4...15)
            let area = length * width
            // A box covers a divisor of the floor area (there is one: the shorter side).
            let cover = draw.pick((2...min(area / 2, 20)).filter { area % $0 == 0 })
            let price = draw.cents(850...2450, 1250...4950, step: 50)
            let boxes = area / cover, cost = price * boxes
            return Story(
                setup: "A \(room) floor is \(length) metres by \(width) metres. One box of tiles covers \(cover) square metres and costs \(price.text).",
                questions: [
                    "How much do the tiles for the whole floor cost?",
                    "What is the cost, in dollars, of tiling the floor?",
                ],
                solution: [
                    "The floor is \(length) × \(width) = \(area) square metres.",
                    "It needs \(area) ÷ \(cover) = \(boxes) boxes.",
                    "The tiles cost \(boxes) × \(price.figure) = \(cost.figure) dollars.",
                ],
                answer: .money(cost)
            )
        },
        .init("commute-minutes", steps: 3, .time, .training) { draw in
            let person = draw.person(), place = draw.pick(["school", "the pool", "work", "the library", "band practice"])
            let ride = draw.number(10...30, 25...55), wait = draw.number(3...10, 5...20)
            let perWeek = draw.number(2...5, 5...10), weeks = draw.number(2...4, 3...8)
            let once = ride + wait, week = once * perWeek
            return Story(
                setup: "\(person.name)'s journey to \(place) takes \(ride) minutes on the bus plus \(wait) minutes of waiting at the stop. \(person.capitalizedSubject) makes the journey \(perWeek) times a week.",
                questions: [
                    "How many minutes does \(person.subject) spend on these journeys in \(weeks) weeks?",
                    "In \(weeks) weeks, how many minutes do the journeys take?",
                ],
                solution: [
                    "One journey takes \(ride) + \(wait) = \(once) minutes.",
                    "A week of journeys takes \(once) × \(perWeek) = \(week) minutes.",
                    "In \(weeks) weeks that is \(week) × \(weeks) = \(week * weeks) minutes.",
                ],
                answer: .count(week * weeks)
            )
        },
        .init("films-time-left", steps: 3, .time, .validation) { draw in
            let person = draw.person()
            let hours = draw.number(4...5, 5...9)
            let first = draw.number(80...110, 85...140), second = draw.number(80...110, 85...140)
            let free = hours * 60, films = first + second
            return Story(
                setup: "\(person.name) has \(hours) hours free. \(person.capitalizedSubject) watches two films, one of \(first) minutes and one of \(second) minutes.",
                questions: [
                    "How many minutes of free time are left?",
                    "How many minutes does \(person.subject) have left after the films?",
                ],
                solution: [
                    "\(person.capitalizedSubject) has \(hours) × 60 = \(free) minutes.",
                    "The films take \(first) + \(second) = \(films) minutes.",
                    "That leaves \(free) - \(films) = \(free - films) minutes.",
                ],
                answer: .count(free - films)
            )
        },
        .init("grandmother-age-gap", steps: 3, .ages, .training) { draw in
            let person = draw.person()
            let age = draw.number(4...10, 8...15), gap = draw.number(22...32, 20...30)
            let mother = age + gap, grandmother = 2 * mother
            return Story(
                setup: "\(person.name) is \(age). \(person.capitalizedPossessive) mother is \(gap) years older than \(person.object), and \(person.possessive) grandmother is twice as old as \(person.possessive) mother.",
                questions: [
                    "How many years older than \(person.name) is \(person.possessive) grandmother?",
                    "What is the age gap, in years, between \(person.name) and \(person.possessive) grandmother?",
                ],
                solution: [
                    "The mother is \(age) + \(gap) = \(mother) years old.",
                    "The grandmother is 2 × \(mother) = \(grandmother) years old.",
                    "She is \(grandmother) - \(age) = \(grandmother - age) years older than \(person.name).",
                ],
                answer: .count(grandmother - age)
            )
        },
        .init("family-age-sum", steps: 3, .ages, .heldOut, distractor: true) { draw in
            let people = draw.people(2), relative = draw.pick(["father", "mother", "uncle", "aunt"])
            let older = draw.number(10...16, 16...40), gap = draw.number(2...6, 3...12), dog = draw.number(2...9, 2...14)
            let factor = draw.large ? 2 : 3
            let younger = older - gap, elder = factor * older
            return Story(
                setup: "\(people[0].name) is \(older) years old and \(people[1].name) is \(gap) years younger. Their \(relative) is \(times(factor)) as old as \(people[0].name), and their dog is \(dog).",
                questions: [
                    "What is the sum of \(people[1].name)'s age and their \(relative)'s age?",
                    "How old are \(people[1].name) and their \(relative) added together?",
                ],
                solution: [
                    "\(people[1].name) is \(older) - \(gap) = \(younger) years old.",
                    "The \(relative) is \(factor) × \(older) = \(elder) years old.",
                    "Together they are \(younger) + \(elder) = \(younger + elder) years old.",
                ],
                answer: .count(younger + elder)
            )
        },
        .init("average-of-three", steps: 3, .average, .validation) { draw in
            let person = draw.person(), (verb, base, unit) = draw.pick(activities)
            let mean = draw.number(5...20, 20...90), spread = mean / 3
            let first = mean + draw.int(in: -spread...spread), second = mean + draw.int(in: -spread...spread)
            let third = 3 * mean - first - second
            return Story(
                setup: "On three days \(person.name) \(verb) \(first), \(second) and \(third) \(unit).",
                questions: [
                    "On average, how many \(unit) does \(person.subject) \(base) a day?",
                    "What is the mean number of \(unit) per day?",
                ],
                solution: [
                    "The first two days add up to \(first) + \(second) = \(first + second) \(unit).",
                    "All three add up to \(first + second) + \(third) = \(3 * mean) \(unit).",
                    "The average is \(3 * mean) ÷ 3 = \(mean) \(unit) a day.",
                ],
                answer: .count(mean)
            )
        },
        .init("missing-score", steps: 3, .average, .heldOut) { draw in
            let person = draw.person(), subject = draw.pick(subjects)
            let mean = draw.number(7...17, 50...90), spread = draw.large ? 8 : 3
            let first = mean + draw.int(in: -spread...spread), second = mean + draw.int(in: -spread...spread)
            let third = 3 * mean - first - second
            return Story(
                setup: "\(person.name)'s average over three \(subject) tests is \(mean). \(person.capitalizedSubject) scored \(first) and \(second) on the first two.",
                questions: [
                    "What did \(person.subject) score on the third test?",
                    "What was \(person.possessive) score on the third test?",
                ],
                solution: [
                    "The three scores add up to 3 × \(mean) = \(3 * mean).",
                    "The first two add up to \(first) + \(second) = \(first + second).",
                    "The third score is \(3 * mean) - \(first + second) = \(third).",
                ],
                answer: .count(third)
            )
        },
        .init("percent-sold-then-bags", steps: 3, .percent, .training) { draw in
            let fruit = draw.pick(snacks), (percent, share) = draw.pick(simplePercents)
            let bag = draw.number(2...6, 4...12), bagsOfSold = draw.number(2...4, 2...8)
            let sold = bag * bagsOfSold, whole = share * sold, rest = whole - sold
            return Story(
                setup: "A stall has \(whole) \(fruit). It sells \(percent)% of them in the morning and packs the rest into bags of \(bag).",
                questions: [
                    "How many bags does it fill?",
                    "How many bags of \(fruit) does that make?",
                ],
                solution: [
                    "\(percent)% is 1 in \(share), so it sells \(whole) ÷ \(share) = \(sold) \(fruit).",
                    "That leaves \(whole) - \(sold) = \(rest) \(fruit).",
                    "They fill \(rest) ÷ \(bag) = \(rest / bag) bags.",
                ],
                answer: .count(rest / bag)
            )
        },
        .init("discount-then-change", steps: 3, .percent, .heldOut) { draw in
            let person = draw.person(), item = draw.pick(shopItems), (percent, share) = draw.pick(simplePercents)
            // The price is a multiple of 5 × share cents, so the discount is a whole number of 5 cents.
            let unit = 5 * share, bounds = draw.large ? (2000, 9000) : (400, 2000)
            let price = Cents(unit * draw.int(in: (bounds.0 + unit - 1) / unit...bounds.1 / unit))
            let discount = price / share, sale = price - discount
            let note = draw.note(above: sale), change = Cents.dollars(note) - sale
            return Story(
                setup: "A \(item) costs \(price.text), and today everything in the shop is \(percent)% off. \(person.name) pays for it with a $\(note) note.",
                questions: [
                    "How much change does \(person.subject) get?",
                    "How much money does \(person.name) get back?",
                    "What change, in dollars, does \(person.subject) receive?",
                ],
                solution: [
                    "\(percent)% is 1 in \(share), so the discount is \(price.figure) ÷ \(share) = \(discount.figure) dollars.",
                    "The sale price is \(price.figure) - \(discount.figure) = \(sale.figure) dollars.",
                    "The change is \(note) - \(sale.figure) = \(change.figure) dollars.",
                ],
                answer: .money(change)
            )
        },
    ]
}
