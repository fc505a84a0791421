import Foundation

/// Turns one decoded JSONL record into an ``EvalProblem``, after ``DatasetFormat`` detection.
///
/// Rules where the source formats leave room: a record's `id`, `task_id` or `unique_id` becomes the
/// problem's id (else `<stem>-<line>`); `difficulty` (an integer) or MATH's `level` (`"Level 3"`
/// or 3) becomes the difficulty; a `template` string (as generated files carry) becomes the
/// template, and a `template` of another type is ignored (it is not part of any format).
struct RecordParser {
    /// The path shown in errors.
    let path: String
    /// The file name without `.jsonl`/`.json`/`.gz`, used for ids of records without one.
    let stem: String

    /// A record-level failure; the loader adds path, line and format.
    struct Failure: Error {
        let reason: String
    }

    func problem(from fields: [String: JSONValue], line: Int) throws -> EvalProblem {
        guard let format = DatasetFormat(detectingFrom: fields.keys) else {
            throw DatasetError.unknownFormat(path: path, line: line, keys: fields.keys.sorted())
        }
        do {
            var problem: EvalProblem
            switch format {
            case .gsm8k: problem = try gsm8k(fields)
            case .math: problem = try math(fields)
            case .multipleChoice: problem = try multipleChoice(fields)
            case .humanEval: problem = try humanEval(fields)
            }
            if format != .humanEval {
                problem.id = try identifier(fields) ?? "\(stem)-\(line)"
            }
            problem.difficulty = try difficulty(fields)
            problem.template = fields["template"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            return problem
        } catch let failure as Failure {
            throw DatasetError.invalidRecord(path: path, line: line, format: format, reason: failure.reason)
        }
    }

    // MARK: Formats

    /// GSM8K: the answer's text after the last `####` (commas removed) is the expected number; the
    /// text before it is the solution. A bare number (`"18"` or `18`) is accepted as the answer too.
    private func gsm8k(_ fields: [String: JSONValue]) throws -> EvalProblem {
        let question = try text(fields, "question")
        let answer = try required(fields, "answer")
        if let number = numberText(answer) {
            return EvalProblem(id: "", question: question, expected: number, kind: .number)
        }
        guard let text = answer.string, let marker = text.range(of: "####", options: .backwards) else {
            throw Failure(reason: "\"answer\" must end with \"#### <number>\" (found \(describe(answer)))")
        }
        let final = text[marker.upperBound...].replacingOccurrences(of: ",", with: "")
        guard let expected = ReferenceAnswer.number(in: final) else {
            throw Failure(reason: "the text after #### is not a number: \"\(final.trimmingWhitespace().prefix(40))\"")
        }
        let solution = text[..<marker.lowerBound].trimmingWhitespace()
        return EvalProblem(
            id: "", question: question, expected: expected, kind: .number,
            solution: solution.isEmpty ? nil : solution
        )
    }

    /// MATH: the `answer` field when present, else the last `\boxed{…}` in `solution`.
    private func math(_ fields: [String: JSONValue]) throws -> EvalProblem {
        let question = try text(fields, "problem")
        let solution = try fields["solution"].map { value in
            guard let text = value.string else { throw Failure(reason: "\"solution\" must be a string") }
            return text
        }
        let reference: (kind: ProblemKind, expected: String)
        if let answer = fields["answer"] {
            if let number = numberText(answer) {
                reference = (.number, number)
            } else if let text = answer.string, !text.trimmingWhitespace().isEmpty {
                reference = ReferenceAnswer.math(ReferenceAnswer.lastBoxed(in: text) ?? text)
            } else {
                throw Failure(reason: "\"answer\" must be a non-empty string or a number (found \(describe(answer)))")
            }
        } else if let solution, let boxed = ReferenceAnswer.lastBoxed(in: solution),
                  !boxed.trimmingWhitespace().isEmpty {
            reference = ReferenceAnswer.math(boxed)
        } else {
            throw Failure(reason: "\"solution\" has no complete \\boxed{…} answer and there is no \"answer\" field")
        }
        return EvalProblem(
            id: "", question: question, expected: reference.expected, kind: reference.kind, solution: solution
        )
    }

    /// Multiple choice: the question followed by a blank line and `A) …` lines; the answer is a
    /// letter (`"B"`, `"(b)"`), a 0-based index (`1` → `B`), a choice label, or a choice's exact text.
    private func multipleChoice(_ fields: [String: JSONValue]) throws -> EvalProblem {
        let question = try text(fields, "question")
        let (choices, labels) = try choiceList(fields["choices"] ?? .null)
        guard let answer = fields["answer"] ?? fields["answerKey"] else {
            throw Failure(reason: "missing \"answer\" (a letter, or a 0-based index)")
        }
        let index = try choiceIndex(answer, choices: choices, labels: labels)
        let lines = choices.enumerated().map { "\(Self.letters[$0.offset])) \($0.element)" }
        return EvalProblem(
            id: "", question: question.trimmingWhitespace() + "\n\n" + lines.joined(separator: "\n"),
            expected: String(Self.letters[index]), kind: .multipleChoice, choices: choices
        )
    }

    /// HumanEval: the prompt is the question; `expected` is empty because tests grade the code.
    private func humanEval(_ fields: [String: JSONValue]) throws -> EvalProblem {
        let task = CodeTask(
            prompt: try text(fields, "prompt"), entryPoint: try text(fields, "entry_point"),
            test: try text(fields, "test"), canonicalSolution: fields["canonical_solution"]?.string
        )
        return EvalProblem(id: try text(fields, "task_id"), question: task.prompt, expected: "", kind: .code, code: task)
    }

    // MARK: Fields

    static let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    private func required(_ fields: [String: JSONValue], _ key: String) throws -> JSONValue {
        guard let value = fields[key], value != .null else { throw Failure(reason: "missing \"\(key)\"") }
        return value
    }

    private func text(_ fields: [String: JSONValue], _ key: String) throws -> String {
        let value = try required(fields, key)
        guard let text = value.string else { throw Failure(reason: "\"\(key)\" must be a string (found \(describe(value)))") }
        guard !text.trimmingWhitespace().isEmpty else { throw Failure(reason: "\"\(key)\" is empty") }
        return text
    }

    /// A JSON number, or a string that is one number, as canonical text.
    private func numberText(_ value: JSONValue) -> String? {
        switch value {
        case let .integer(number): return String(number)
        case let .double(number): return ReferenceAnswer.number(in: String(number))
        case let .string(text): return ReferenceAnswer.number(in: text)
        default: return nil
        }
    }

    /// The choices as texts, and their labels when given as ARC's `{"text": [...], "label": [...]}`.
    private func choiceList(_ value: JSONValue) throws -> (choices: [String], labels: [String]?) {
        var items = value
        var labels: [String]?
        if case let .object(object) = value {
            guard let texts = object["text"] else { throw Failure(reason: "\"choices\" object needs a \"text\" array") }
            items = texts
            labels = object["label"].flatMap { label -> [String]? in
                guard case let .array(values) = label else { return nil }
                return values.map { $0.string ?? $0.integer.map(String.init) ?? "" }
            }
        }
        guard case let .array(values) = items else {
            throw Failure(reason: "\"choices\" must be an array of strings (found \(describe(value)))")
        }
        let choices = try values.map { item -> String in
            if let text = item.string { return text.trimmingWhitespace() }
            if let number = item.integer { return String(number) }
            if case let .double(number) = item { return String(number) }
            throw Failure(reason: "each choice must be a string (found \(describe(item)))")
        }
        guard (2...Self.letters.count).contains(choices.count) else {
            throw Failure(reason: "\"choices\" has \(choices.count) entries: expected 2 to \(Self.letters.count)")
        }
        return (choices, labels)
    }

    private func choiceIndex(_ answer: JSONValue, choices: [String], labels: [String]?) throws -> Int {
        let outOfRange = "answer \(describe(answer)) is not one of the \(choices.count) choices"
        if let index = answer.integer {
            guard choices.indices.contains(index) else { throw Failure(reason: outOfRange) }
            return index
        }
        guard let text = answer.string?.trimmingWhitespace() else {
            throw Failure(reason: "\"answer\" must be a letter or a 0-based index (found \(describe(answer)))")
        }
        if let labels, let index = labels.firstIndex(of: text), choices.indices.contains(index) { return index }
        var letter = text.uppercased()
        if letter.count == 3, letter.first == "(", letter.last == ")" { letter = String(letter.dropFirst().dropLast()) }
        if letter.count == 1, let index = Self.letters.firstIndex(of: Character(letter)) {
            guard choices.indices.contains(index) else { throw Failure(reason: outOfRange) }
            return index
        }
        if let index = choices.firstIndex(of: text) { return index }
        throw Failure(reason: outOfRange)
    }

    private func identifier(_ fields: [String: JSONValue]) throws -> String? {
        for key in ["id", "task_id", "unique_id"] {
            guard let value = fields[key], value != .null else { continue }
            if let text = value.string, !text.isEmpty { return text }
            if let number = value.integer { return String(number) }
            throw Failure(reason: "\"\(key)\" must be a string or an integer (found \(describe(value)))")
        }
        return nil
    }

    private func difficulty(_ fields: [String: JSONValue]) throws -> Int? {
        for key in ["difficulty", "level"] {
            guard let value = fields[key], value != .null else { continue }
            if let level = value.integer { return level }
            if let text = value.string {
                let digits = text.drop(while: { !$0.isASCIIDigit }).prefix(while: \.isASCIIDigit)
                if let level = Int(digits) { return level }
                continue   // "Level ?" in some MATH records: no usable difficulty
            }
            throw Failure(reason: "\"\(key)\" must be an integer or a text such as \"Level 3\" (found \(describe(value)))")
        }
        return nil
    }

    private func describe(_ value: JSONValue) -> String {
        switch value {
        case let .string(text): return "\"\(text.prefix(40))\""
        case let .integer(number): return String(number)
        default: return value.typeName
        }
    }
}
