import Foundation

/// Encodes `Encodable` values to JSON the way the upstream's Jackson does: members in the order they are encoded
/// (Foundation's `JSONEncoder` on Linux does not keep that order), nulls omitted by `encodeIfPresent`, slashes and
/// non-ASCII text unescaped, and — pretty printed — Jackson's `DefaultPrettyPrinter` layout
/// (`"key" : value`, two-space indents, `[ { … }, { … } ]`, `{ }` and `[ ]` when empty).
public enum JacksonJSON {
    /// Pretty-printed (`INDENT_OUTPUT`) JSON.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> Data {
        let root = JSONRef()
        try value.encode(to: OrderedEncoder(ref: root, codingPath: []))
        var out = ""
        write(root.resolve(), into: &out, pretty: pretty, nesting: 0)
        return Data(out.utf8)
    }

    static func write(_ node: JSONNode, into out: inout String, pretty: Bool, nesting: Int) {
        switch node {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            guard !items.isEmpty else { out += pretty ? "[ ]" : "[]"; return }
            out += pretty ? "[ " : "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += pretty ? ", " : "," }
                write(item, into: &out, pretty: pretty, nesting: nesting)
            }
            out += pretty ? " ]" : "]"
        case .object(let members):
            guard !members.isEmpty else { out += pretty ? "{ }" : "{}"; return }
            out += "{"
            let indent = String(repeating: "  ", count: nesting + 1)
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + indent }
                writeString(key, into: &out)
                out += pretty ? " : " : ":"
                write(value, into: &out, pretty: pretty, nesting: nesting + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: nesting) }
            out += "}"
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// A JSON value with ordered object members.
indirect enum JSONNode: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([(String, JSONNode)])

    static func == (lhs: JSONNode, rhs: JSONNode) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    static func from(_ v: Bool) -> JSONNode { .bool(v) }
    static func from(_ v: String) -> JSONNode { .string(v) }
    static func from(_ v: Double) -> JSONNode { number(v) }
    static func from(_ v: Float) -> JSONNode { number(Double(v)) }
    static func from<I: BinaryInteger>(_ v: I) -> JSONNode { .number(String(v)) }

    /// Java's `Double.toString` for the common cases (`1.0`, `2.5`); non-finite values become null.
    static func number(_ d: Double) -> JSONNode {
        guard d.isFinite else { return .null }
        if d == d.rounded(), abs(d) < 1e7 { return .number(String(Int64(d)) + ".0") }
        let text = "\(d)"
        if let e = text.firstIndex(of: "e") {
            var mantissa = String(text[..<e])
            if !mantissa.contains(".") { mantissa += ".0" }
            var exponent = String(text[text.index(after: e)...])
            if exponent.hasPrefix("+") { exponent.removeFirst() }
            return .number(mantissa + "E" + exponent)
        }
        return .number(text)
    }
}

/// Mutable tree built while encoding.
final class JSONRef {
    var scalar: JSONNode?
    var array: [JSONRef]?
    var members: [(String, JSONRef)]?

    init() {}
    init(scalar: JSONNode) { self.scalar = scalar }

    func set(_ key: String, _ ref: JSONRef) {
        if members == nil { members = [] }
        if let i = members!.firstIndex(where: { $0.0 == key }) { members![i].1 = ref } else { members!.append((key, ref)) }
    }

    func append(_ ref: JSONRef) {
        if array == nil { array = [] }
        array!.append(ref)
    }

    func resolve() -> JSONNode {
        if let members { return .object(members.map { ($0.0, $0.1.resolve()) }) }
        if let array { return .array(array.map { $0.resolve() }) }
        return scalar ?? .null
    }
}

struct OrderedEncoder: Encoder {
    let ref: JSONRef
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if ref.members == nil { ref.members = [] }
        return KeyedEncodingContainer(KeyedContainer<Key>(ref: ref, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if ref.array == nil { ref.array = [] }
        return UnkeyedContainer(ref: ref, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(ref: ref, codingPath: codingPath)
    }
}

private struct IndexKey: CodingKey {
    var stringValue: String { "\(intValue!)" }
    var intValue: Int?
    init(_ i: Int) { intValue = i }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let ref: JSONRef
    var codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: String, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Float, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { ref.set(key.stringValue, JSONRef(scalar: .from(value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let child = JSONRef()
        try value.encode(to: OrderedEncoder(ref: child, codingPath: codingPath + [key]))
        ref.set(key.stringValue, child)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey> {
        let child = JSONRef()
        ref.set(key.stringValue, child)
        return OrderedEncoder(ref: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONRef()
        ref.set(key.stringValue, child)
        return OrderedEncoder(ref: child, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONRef()
        ref.set("super", child)
        return OrderedEncoder(ref: child, codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = JSONRef()
        ref.set(key.stringValue, child)
        return OrderedEncoder(ref: child, codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let ref: JSONRef
    var codingPath: [any CodingKey]
    var count: Int { ref.array?.count ?? 0 }

    mutating func encodeNil() throws { ref.append(JSONRef(scalar: .null)) }
    mutating func encode(_ value: Bool) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: String) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Double) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Float) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Int) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Int8) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Int16) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Int32) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: Int64) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: UInt) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: UInt8) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: UInt16) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: UInt32) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode(_ value: UInt64) throws { ref.append(JSONRef(scalar: .from(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let child = JSONRef()
        try value.encode(to: OrderedEncoder(ref: child, codingPath: codingPath + [IndexKey(count)]))
        ref.append(child)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey> {
        let child = JSONRef()
        ref.append(child)
        return OrderedEncoder(ref: child, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONRef()
        ref.append(child)
        return OrderedEncoder(ref: child, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONRef()
        ref.append(child)
        return OrderedEncoder(ref: child, codingPath: codingPath)
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let ref: JSONRef
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { ref.scalar = .null }
    mutating func encode(_ value: Bool) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: String) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: Double) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: Float) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: Int) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: Int8) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: Int16) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: Int32) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: Int64) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: UInt) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: UInt8) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: UInt16) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: UInt32) throws { ref.scalar = .from(value) }
    mutating func encode(_ value: UInt64) throws { ref.scalar = .from(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: OrderedEncoder(ref: ref, codingPath: codingPath))
    }
}
