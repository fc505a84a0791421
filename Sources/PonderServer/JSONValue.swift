import Foundation

/// A parsed JSON value, so request fields can be checked one by one with OpenAI-style errors that
/// name the parameter at fault.
enum JSONValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// Parses a request body; invalid JSON or a non-object body is a `400`.
    static func parseObject(_ data: Data) throws(APIError) -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw APIError.invalid("We could not parse the JSON body of your request: send valid JSON.", param: nil, code: "invalid_json")
        }
        guard case .object(let object) = value else {
            throw APIError.invalid("The request body must be a JSON object.", param: nil, code: "invalid_json")
        }
        return object
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Typed access to the fields of a JSON object, throwing `400`s that name the parameter.
struct JSONFields: Sendable {
    let object: [String: JSONValue]
    /// Path prefix for error messages, e.g. `ponder.` or `messages[2].`.
    let prefix: String

    init(_ object: [String: JSONValue], prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    func wrongType(_ key: String, _ value: JSONValue, _ expected: String) -> APIError {
        .invalid("Invalid type for '\(prefix)\(key)': expected \(expected), but got \(value.typeName) instead.",
                 param: prefix + key, code: "invalid_type")
    }

    func outOfRange(_ key: String, _ value: Any, _ expected: String) -> APIError {
        .invalid("Invalid '\(prefix)\(key)': \(value) is out of range, expected \(expected).", param: prefix + key)
    }

    /// The value, treating an explicit `null` as absent.
    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(APIError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let string) = value else { throw wrongType(key, value, "a string") }
        return string
    }

    func bool(_ key: String) throws(APIError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let bool) = value else { throw wrongType(key, value, "a boolean") }
        return bool
    }

    func number(_ key: String, in range: ClosedRange<Double>) throws(APIError) -> Double? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value else { throw wrongType(key, value, "a number") }
        guard number.isFinite, range.contains(number) else {
            throw outOfRange(key, number, "a number in \(range.lowerBound.formatted0)...\(range.upperBound.formatted0)")
        }
        return number
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value, number.isFinite, number.rounded() == number, abs(number) < 1e15 else {
            throw wrongType(key, value, "an integer")
        }
        let integer = Int(number)
        guard range.contains(integer) else { throw outOfRange(key, integer, "an integer in \(range.lowerBound)...\(range.upperBound)") }
        return integer
    }

    func object(_ key: String) throws(APIError) -> JSONFields? {
        guard let value = value(key) else { return nil }
        guard case .object(let object) = value else { throw wrongType(key, value, "an object") }
        return JSONFields(object, prefix: "\(prefix)\(key).")
    }

    func array(_ key: String) throws(APIError) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard case .array(let array) = value else { throw wrongType(key, value, "an array") }
        return array
    }

    /// A string or an array of strings (OpenAI's `stop`).
    func strings(_ key: String, max: Int) throws(APIError) -> [String]? {
        guard let value = value(key) else { return nil }
        switch value {
        case .string(let string): return [string]
        case .array(let items):
            var strings: [String] = []
            for item in items {
                guard case .string(let string) = item else { throw wrongType(key, value, "a string or an array of strings") }
                strings.append(string)
            }
            guard strings.count <= max else { throw outOfRange(key, "\(strings.count) strings", "at most \(max)") }
            return strings
        default:
            throw wrongType(key, value, "a string or an array of strings")
        }
    }
}

extension Double {
    /// The number without a trailing `.0` when it is whole.
    var formatted0: String { rounded() == self && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}

extension JSONValue: Encodable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { try container.encode(Int(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .number(Double(value)) }
    init(floatLiteral value: Double) { self = .number(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(Dictionary(elements, uniquingKeysWith: { $1 })) }
    init(nilLiteral: ()) { self = .null }

    /// A number from an integer.
    static func int(_ value: Int) -> JSONValue { .number(Double(value)) }
    /// A string, or null.
    static func optional(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    /// An integer, or null.
    static func optional(_ value: Int?) -> JSONValue { value.map { .number(Double($0)) } ?? .null }
    /// A number, or null.
    static func optional(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }

    /// Compact JSON text.
    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "null"
    }
}
