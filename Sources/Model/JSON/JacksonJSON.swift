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
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(root.resolve(), into: &out, pretty: pretty, nesting: 0)
        return Data(out)
    }

    static func write(_ node: JSONNode, into out: inout [UInt8], pretty: Bool, nesting: Int) {
        switch node {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            guard !items.isEmpty else { out.append(contentsOf: (pretty ? "[ ]" : "[]").utf8); return }
            out.append(contentsOf: (pretty ? "[ " : "[").utf8)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(contentsOf: (pretty ? ", " : ",").utf8) }
                write(item, into: &out, pretty: pretty, nesting: nesting)
            }
            out.append(contentsOf: (pretty ? " ]" : "]").utf8)
        case .object(let members):
            guard !members.isEmpty else { out.append(contentsOf: (pretty ? "{ }" : "{}").utf8); return }
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(indent: nesting + 1, into: &out) }
                writeString(key, into: &out)
                out.append(contentsOf: (pretty ? " : " : ":").utf8)
                write(value, into: &out, pretty: pretty, nesting: nesting + 1)
            }
            if pretty { newline(indent: nesting, into: &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(indent: Int, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<(indent * 2) { out.append(UInt8(ascii: " ")) }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// The text's UTF-8 bytes, quoted, with quotes, backslashes and control characters escaped (slashes and
    /// non-ASCII text as they are).
    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
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
