/// Any JSON value, for free-form content such as `avtalt.content`. Objects are written with sorted keys.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
            var object: [String: JSONValue] = [:]
            for key in keyed.allKeys { object[key.stringValue] = try keyed.decode(JSONValue.self, forKey: key) }
            self = .object(object)
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var array: [JSONValue] = []
            while !unkeyed.isAtEnd { array.append(try unkeyed.decode(JSONValue.self)) }
            self = .array(array)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else { self = .string(try c.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let a):
            var c = encoder.unkeyedContainer()
            for v in a { try c.encode(v) }
        case .object(let o):
            var c = encoder.container(keyedBy: AnyKey.self)
            for key in o.keys.sorted() { try c.encode(o[key]!, forKey: AnyKey(key)) }
        }
    }
}

/// A coding key for arbitrary names.
typealias AnyKey = JSONKey

/// A string-keyed JSON object field (e.g. `metadataFiler`), written with sorted keys so output is deterministic;
/// absent stays absent, `{}` stays `{}`.
@propertyWrapper
public struct SortedMap<Value: Codable & Sendable & Hashable>: Sendable, Hashable, Codable {
    public var wrappedValue: [String: Value]?
    public init(wrappedValue: [String: Value]?) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        if (try? decoder.singleValueContainer().decodeNil()) == true { wrappedValue = nil; return }
        let c = try decoder.container(keyedBy: AnyKey.self)
        var map: [String: Value] = [:]
        for key in c.allKeys { map[key.stringValue] = try c.decode(Value.self, forKey: key) }
        wrappedValue = map
    }

    public func encode(to encoder: any Encoder) throws {
        guard let map = wrappedValue else {
            var c = encoder.singleValueContainer()
            try c.encodeNil()
            return
        }
        var c = encoder.container(keyedBy: AnyKey.self)
        for key in map.keys.sorted() { try c.encode(map[key]!, forKey: AnyKey(key)) }
    }
}

extension KeyedDecodingContainer {
    public func decode<V>(_ type: SortedMap<V>.Type, forKey key: Key) throws -> SortedMap<V> {
        try decodeIfPresent(type, forKey: key) ?? SortedMap(wrappedValue: nil)
    }
}

extension KeyedEncodingContainer {
    public mutating func encode<V>(_ value: SortedMap<V>, forKey key: Key) throws {
        if value.wrappedValue != nil { try value.encode(to: superEncoder(forKey: key)) }
    }
}
