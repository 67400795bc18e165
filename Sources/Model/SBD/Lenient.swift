import Foundation

/// Jackson coerces scalars (`"3"` → 3, `"false"` → false); these wrappers do the same for JSON fields that are
/// numbers or booleans, and keep absent values absent (nulls omitted on output).
@propertyWrapper
public struct LenientInt: Sendable, Hashable, Codable {
    public var wrappedValue: Int?
    public init(wrappedValue: Int?) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { wrappedValue = nil; return }
        if let v = try? c.decode(Int.self) { wrappedValue = v; return }
        if let s = try? c.decode(String.self) {
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { wrappedValue = nil; return }
            if let v = Int(t) { wrappedValue = v; return }
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "Cannot deserialize value of type `java.lang.Integer` from String \"\(s)\": not a valid `java.lang.Integer` value")
        }
        if let d = try? c.decode(Double.self), d == d.rounded(), abs(d) < 2_147_483_648 { wrappedValue = Int(d); return }
        throw DecodingError.typeMismatch(Int.self, .init(codingPath: decoder.codingPath,
            debugDescription: "Cannot deserialize value of type `java.lang.Integer` from non-scalar value"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

@propertyWrapper
public struct LenientBool: Sendable, Hashable, Codable {
    public var wrappedValue: Bool?
    public init(wrappedValue: Bool?) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { wrappedValue = nil; return }
        if let v = try? c.decode(Bool.self) { wrappedValue = v; return }
        if let s = try? c.decode(String.self) {
            switch s.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true": wrappedValue = true; return
            case "false": wrappedValue = false; return
            case "": wrappedValue = nil; return
            default:
                throw DecodingError.dataCorruptedError(
                    in: c, debugDescription: "Cannot deserialize value of type `java.lang.Boolean` from String \"\(s)\": only \"true\" or \"false\" recognized")
            }
        }
        if let i = try? c.decode(Int.self) { wrappedValue = i != 0; return }
        throw DecodingError.typeMismatch(Bool.self, .init(codingPath: decoder.codingPath,
            debugDescription: "Cannot deserialize value of type `java.lang.Boolean` from non-scalar value"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    public func decode(_ type: LenientInt.Type, forKey key: Key) throws -> LenientInt {
        try decodeIfPresent(type, forKey: key) ?? LenientInt(wrappedValue: nil)
    }

    public func decode(_ type: LenientBool.Type, forKey key: Key) throws -> LenientBool {
        try decodeIfPresent(type, forKey: key) ?? LenientBool(wrappedValue: nil)
    }
}

extension KeyedEncodingContainer {
    public mutating func encode(_ value: LenientInt, forKey key: Key) throws {
        if let v = value.wrappedValue { try encode(v, forKey: key) }
    }

    public mutating func encode(_ value: LenientBool, forKey key: Key) throws {
        if let v = value.wrappedValue { try encode(v, forKey: key) }
    }
}

/// Jackson also reads a number or boolean into a String field (`"orgnr": 98765432` → `"98765432"`).
@propertyWrapper
public struct LenientString: Sendable, Hashable, Codable {
    public var wrappedValue: String?
    public init(wrappedValue: String?) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { wrappedValue = nil; return }
        if let s = try? c.decode(String.self) { wrappedValue = s; return }
        if let b = try? c.decode(Bool.self) { wrappedValue = b ? "true" : "false"; return }
        if let i = try? c.decode(Int64.self) { wrappedValue = String(i); return }
        if let d = try? c.decode(Double.self) { wrappedValue = String(d); return }
        throw DecodingError.typeMismatch(String.self, .init(codingPath: decoder.codingPath,
            debugDescription: "Cannot deserialize value of type `java.lang.String` from non-scalar value"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    public func decode(_ type: LenientString.Type, forKey key: Key) throws -> LenientString {
        try decodeIfPresent(type, forKey: key) ?? LenientString(wrappedValue: nil)
    }

    /// A String field read the Jackson way (numbers and booleans accepted as text).
    func decodeLenientString(forKey key: Key) throws -> String? {
        try decode(LenientString.self, forKey: key).wrappedValue
    }
}

extension KeyedEncodingContainer {
    public mutating func encode(_ value: LenientString, forKey key: Key) throws {
        if let v = value.wrappedValue { try encode(v, forKey: key) }
    }
}
