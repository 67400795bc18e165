import Foundation

/// The message envelope of the NextMove API: a header and one business message (`nextmove-api.md` §3).
///
/// JSON: `{ "standardBusinessDocumentHeader": {…}, "<type>": {…} }`, header first on output, either order on input.
public struct StandardBusinessDocument: Sendable, Hashable {
    public static let headerKey = "standardBusinessDocumentHeader"

    public var standardBusinessDocumentHeader: StandardBusinessDocumentHeader
    public var businessMessage: BusinessMessage

    public init(standardBusinessDocumentHeader: StandardBusinessDocumentHeader, businessMessage: BusinessMessage) {
        self.standardBusinessDocumentHeader = standardBusinessDocumentHeader
        self.businessMessage = businessMessage
    }

    /// The JSON key of the business message: the header's type when it names one, else the message's own type.
    public var businessMessageKey: String {
        standardBusinessDocumentHeader.documentIdentification?.type
            .flatMap(MessageType.businessMessageType(named:))?.fieldName ?? businessMessage.type.fieldName
    }
}

extension StandardBusinessDocument: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.encode(standardBusinessDocumentHeader, forKey: AnyKey(Self.headerKey))
        try businessMessage.encode(into: &c, forKey: AnyKey(businessMessageKey))
    }

    /// Pretty-printed JSON, as the upstream writes it (nulls omitted, header first).
    public func encodedJSON() -> Data {
        // Every member is a String, number, bool or nested value type: encoding cannot fail.
        (try? JacksonJSON.encode(self)) ?? Data("{}".utf8)
    }

    /// Compact JSON (for storage and comparisons).
    public func compactJSON() -> Data {
        (try? JacksonJSON.encode(self, pretty: false)) ?? Data("{}".utf8)
    }
}

extension StandardBusinessDocument {
    /// Reads an SBD the way the upstream's `StandardBusinessDocumentDeserializer` does: the header first (then the
    /// next member must be named after its type) or the business message first (then its key gives the type and the
    /// header must follow); nothing else may follow. Unknown nested properties are ignored.
    ///
    /// A well-formed document is parsed once: the top level's member names and the kinds of their values are read
    /// off the bytes. Anything that fails that way is read again the thorough way, with `JSONSerialization` first,
    /// so that every refusal is described exactly as before.
    public static func decode(from data: Data) throws(SBDDecodingError) -> StandardBusinessDocument {
        if let plan = DecodePlan(scanning: data),
           let box = try? JSONDecoder().decode(DecodingBox.self, from: data, configuration: plan) {
            return box.document
        }
        return try decodeThoroughly(data)
    }

    private static func decodeThoroughly(_ data: Data) throws(SBDDecodingError) -> StandardBusinessDocument {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw .malformedJSON(JSONParseDescription.describe(error))
        }
        guard let object = root as? [String: Any] else {
            throw .malformedJSON(
                "Cannot deserialize value of type `StandardBusinessDocument` from \(JSONParseDescription.tokenName(of: root)) value")
        }
        let keys = TopLevelKeys.scan(data)
        let decoder = JSONDecoder()
        let plan = DecodePlan(keys: keys, object: object)
        do {
            let box = try decoder.decode(DecodingBox.self, from: data, configuration: plan)
            return box.document
        } catch let error as SBDDecodingError {
            throw error
        } catch let error as DecodingError {
            throw .malformedJSON(JSONParseDescription.describe(error))
        } catch {
            throw .malformedJSON("\(error)")
        }
    }
}

/// What `decode(from:)` found about the top level before decoding (member order and JSON kinds).
struct DecodePlan: Sendable {
    let keys: [String]
    let tokens: [String: String]

    init(keys: [String], object: [String: Any]) {
        self.keys = keys
        var tokens: [String: String] = [:]
        for (k, v) in object { tokens[k] = JSONParseDescription.tokenName(of: v) }
        self.tokens = tokens
    }

    /// From the bytes alone, `nil` unless the top level is an object: each member's value kind by its first byte.
    /// Only objects are decoded on this path (other kinds are refused, and refusals are read again thoroughly), so
    /// a number's kind need not be told apart here.
    init?(scanning data: Data) {
        guard let members = TopLevelKeys.members(data) else { return nil }
        keys = members.map(\.key)
        var tokens: [String: String] = [:]
        for member in members {
            tokens[member.key] = switch member.firstByte {
            case UInt8(ascii: "{"): "START_OBJECT"
            case UInt8(ascii: "["): "START_ARRAY"
            case UInt8(ascii: "\""): "VALUE_STRING"
            case UInt8(ascii: "n"): "VALUE_NULL"
            case UInt8(ascii: "t"): "VALUE_TRUE"
            case UInt8(ascii: "f"): "VALUE_FALSE"
            default: "VALUE_NUMBER_INT"
            }
        }
        self.tokens = tokens
    }
}

private struct DecodingBox: DecodableWithConfiguration {
    let document: StandardBusinessDocument

    init(from decoder: any Decoder, configuration plan: DecodePlan) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        let headerKey = StandardBusinessDocument.headerKey
        let keys = plan.keys

        func requireObject(_ key: String) throws {
            let token = plan.tokens[key] ?? "VALUE_NULL"
            if token != "START_OBJECT" { throw SBDDecodingError.unexpectedToken(expected: "START_OBJECT", found: token) }
        }
        func requireField(at index: Int, named expected: String) throws {
            guard index < keys.count else {
                throw SBDDecodingError.unexpectedToken(expected: "FIELD_NAME", found: "END_OBJECT")
            }
            if keys[index] != expected { throw SBDDecodingError.unexpectedField(expected: expected, found: keys[index]) }
        }
        func requireEnd() throws {
            if keys.count > 2 { throw SBDDecodingError.unexpectedToken(expected: "END_OBJECT", found: "FIELD_NAME") }
        }
        func decodeHeader() throws -> StandardBusinessDocumentHeader {
            try requireObject(headerKey)
            return try c.decode(StandardBusinessDocumentHeader.self, forKey: AnyKey(headerKey))
        }
        func decodeMessage(_ type: MessageType, key: String) throws -> BusinessMessage {
            try requireObject(key)
            guard let message = try BusinessMessage.decode(type, from: c, forKey: AnyKey(key)) else {
                throw SBDDecodingError.unknownType(key)
            }
            return message
        }

        if keys.first == headerKey {
            let header = try decodeHeader()
            guard let typeName = header.documentIdentification?.type else { throw SBDDecodingError.missingType }
            guard let type = MessageType.businessMessageType(named: typeName) else {
                throw SBDDecodingError.unknownType(typeName)
            }
            try requireField(at: 1, named: type.fieldName)
            let message = try decodeMessage(type, key: type.fieldName)
            try requireEnd()
            document = StandardBusinessDocument(standardBusinessDocumentHeader: header, businessMessage: message)
        } else {
            let key = keys.first ?? "null"
            guard let type = MessageType.businessMessageType(named: key) else { throw SBDDecodingError.unknownType(key) }
            try requireField(at: 0, named: type.fieldName)
            let message = try decodeMessage(type, key: key)
            try requireField(at: 1, named: headerKey)
            let header = try decodeHeader()
            guard let typeName = header.documentIdentification?.type else {
                throw SBDDecodingError.missingTypeInHeader
            }
            guard let headerType = MessageType.businessMessageType(named: typeName) else {
                throw SBDDecodingError.unknownType(typeName)
            }
            // The upstream does not compare the two; we refuse a document whose header and body disagree.
            if headerType != type { throw SBDDecodingError.unexpectedField(expected: headerType.fieldName, found: key) }
            try requireEnd()
            document = StandardBusinessDocument(standardBusinessDocumentHeader: header, businessMessage: message)
        }
    }
}

/// Member names of the top-level JSON object, in document order (the body is known to be valid JSON).
enum TopLevelKeys {
    static func scan(_ data: Data) -> [String] {
        members(data)?.map(\.key) ?? []
    }

    /// The members' names and the first byte of each value; `nil` when the top level is not an object.
    static func members(_ data: Data) -> [(key: String, firstByte: UInt8?)]? {
        let bytes = [UInt8](data)
        var i = 0
        func skipWhitespace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 {
                i += 1
            }
        }
        /// Returns the raw string token including quotes and moves past it.
        func readString() -> ArraySlice<UInt8> {
            let start = i
            i += 1
            while i < bytes.count, bytes[i] != 0x22 {
                if bytes[i] == 0x5C { i += 1 }
                i += 1
            }
            i += 1
            return bytes[start..<min(i, bytes.count)]
        }
        func skipValue() {
            skipWhitespace()
            guard i < bytes.count else { return }
            if bytes[i] == 0x22 { _ = readString(); return }
            if bytes[i] == 0x7B || bytes[i] == 0x5B {
                var depth = 0
                while i < bytes.count {
                    switch bytes[i] {
                    case 0x22: _ = readString(); continue
                    case 0x7B, 0x5B: depth += 1
                    case 0x7D, 0x5D:
                        depth -= 1
                        if depth == 0 { i += 1; return }
                    default: break
                    }
                    i += 1
                }
                return
            }
            while i < bytes.count, bytes[i] != 0x2C, bytes[i] != 0x7D, bytes[i] != 0x5D { i += 1 }
        }
        // Skip a UTF-8 byte order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        skipWhitespace()
        guard i < bytes.count, bytes[i] == 0x7B else { return nil }
        i += 1
        var keys: [(key: String, firstByte: UInt8?)] = []
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == 0x22 else { break }
            let raw = readString()
            let key = raw.contains(0x5C) || raw.count < 2
                ? (try? JSONDecoder().decode(String.self, from: Data(raw))) ?? ""
                : String(decoding: raw.dropFirst().dropLast(), as: UTF8.self)
            skipWhitespace()
            guard i < bytes.count, bytes[i] == 0x3A else {
                keys.append((key, nil))
                break
            }
            i += 1
            skipWhitespace()
            keys.append((key, i < bytes.count ? bytes[i] : nil))
            skipValue()
            skipWhitespace()
            guard i < bytes.count, bytes[i] == 0x2C else { break }
            i += 1
        }
        return keys
    }
}

/// Jackson-like descriptions of JSON failures.
enum JSONParseDescription {
    static func tokenName(of value: Any) -> String {
        switch value {
        case is [String: Any]: return "START_OBJECT"
        case is [Any]: return "START_ARRAY"
        case is String: return "VALUE_STRING"
        case is NSNull: return "VALUE_NULL"
        case let n as NSNumber:
            // JSONSerialization yields booleans as NSNumbers of ObjC type `c` (char).
            switch String(cString: n.objCType) {
            case "c": return n.boolValue ? "VALUE_TRUE" : "VALUE_FALSE"
            case "d", "f": return "VALUE_NUMBER_FLOAT"
            default: return "VALUE_NUMBER_INT"
            }
        default: return "VALUE_EMBEDDED_OBJECT"
        }
    }

    static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .typeMismatch(let type, let context):
                return "Cannot deserialize value of type `\(javaName(type))`: \(context.debugDescription)\(path(context.codingPath))"
            case .valueNotFound(let type, let context):
                return "Missing value of type `\(javaName(type))`\(path(context.codingPath))"
            case .keyNotFound(let key, let context):
                return "Missing property '\(key.stringValue)'\(path(context.codingPath))"
            case .dataCorrupted(let context):
                return context.debugDescription + path(context.codingPath)
            @unknown default:
                return "\(decoding)"
            }
        }
        let ns = error as NSError
        if let detail = ns.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return ns.localizedDescription
    }

    private static func javaName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "java.lang.String"
        case is Int.Type, is Int64.Type: "java.lang.Integer"
        case is Bool.Type: "java.lang.Boolean"
        case is Double.Type: "java.lang.Double"
        default: "\(type)"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        guard !codingPath.isEmpty else { return "" }
        let chain = codingPath.map { $0.intValue.map { "[\($0)]" } ?? "[\"\($0.stringValue)\"]" }.joined(separator: "->")
        return " (through reference chain: StandardBusinessDocument\(chain))"
    }
}

extension StandardBusinessDocument: Decodable {
    /// Decoding as a nested value (e.g. from storage): the header's type names the business message key.
    /// For request bodies use `decode(from:)`, which also checks member order and gives the upstream's errors.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        let header = try c.decode(StandardBusinessDocumentHeader.self, forKey: AnyKey(Self.headerKey))
        guard let typeName = header.documentIdentification?.type else { throw SBDDecodingError.missingType }
        guard let type = MessageType.businessMessageType(named: typeName) else {
            throw SBDDecodingError.unknownType(typeName)
        }
        guard let message = try BusinessMessage.decode(type, from: c, forKey: AnyKey(type.fieldName)) else {
            throw SBDDecodingError.unknownType(typeName)
        }
        self.init(standardBusinessDocumentHeader: header, businessMessage: message)
    }
}
