import Foundation

/// The body of a DPE message on the Service Bus: `{"sbd": <SBD JSON>, "asic": "<Base64>"}`, `asic` absent when the
/// message has no files (`internals.md` §2.5).
///
/// The upstream's `ServiceBusPayload.asic` is a `byte[]` that already holds the Base64 text of the CMS envelope,
/// and Jackson writes a `byte[]` as Base64 once more, so on the wire `asic` is Base64(Base64(CMS)), and the
/// upstream reader decodes twice. We write the same, so upstream receivers (eInnsyn's own integration point among
/// them) can read us; we read both that and a single Base64(CMS) — a CMS envelope starts with a DER SEQUENCE (0x30),
/// its Base64 text with `M`, so the two cannot be confused.
///
/// The payload is built and read in memory: DPE's upload limit (2 MB by default) keeps the whole body to a few MB.
public enum DPEPayload {
    public struct Decoded: Sendable {
        /// The SBD's JSON bytes exactly as sent.
        public var sbdJSON: Data
        /// The CMS-encrypted ASiC-E container, when the message has files.
        public var encryptedContainer: Data?
    }

    public enum DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        case notJSON(String)
        case missingSBD
        case badAsic(String)

        public var description: String {
            switch self {
            case .notJSON(let why): "The Service Bus message is not a DPE payload ({\"sbd\":…,\"asic\":…}): \(why)."
            case .missingSBD: "The Service Bus message has no \"sbd\" object."
            case .badAsic(let why): "The Service Bus message's \"asic\" cannot be read: \(why)."
            }
        }
    }

    /// `{"sbd":<sbdJSON>,"asic":"<Base64(Base64(container))>"}`, or without `asic` when `encryptedContainer` is nil.
    public static func encode(sbdJSON: Data, encryptedContainer: Data?) -> Data {
        var body = Data(#"{"sbd":"#.utf8)
        body.append(sbdJSON)
        if let encryptedContainer {
            body.append(Data(#","asic":""#.utf8))
            body.append(encryptedContainer.base64EncodedData().base64EncodedData())
            body.append(UInt8(ascii: "\""))
        }
        body.append(UInt8(ascii: "}"))
        return body
    }

    public static func decode(_ body: Data) throws(DecodingError) -> Decoded {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: body) } catch {
            throw .notJSON("\(error)")
        }
        guard let object = root as? [String: Any] else { throw .notJSON("the body is not a JSON object") }
        guard object["sbd"] is [String: Any], let span = TopLevelJSON.valueRange(of: "sbd", in: body) else { throw .missingSBD }
        let sbdJSON = Data(body[span])
        switch object["asic"] {
        case nil, is NSNull:
            return Decoded(sbdJSON: sbdJSON, encryptedContainer: nil)
        case let text as String:
            return Decoded(sbdJSON: sbdJSON, encryptedContainer: try container(fromBase64: text))
        default:
            throw .badAsic("it is not a Base64 string")
        }
    }

    static func container(fromBase64 text: String) throws(DecodingError) -> Data {
        guard let once = Data(base64Encoded: text, options: .ignoreUnknownCharacters), !once.isEmpty else {
            throw .badAsic("it is not Base64")
        }
        if once.first == 0x30 { return once }
        guard let twice = Data(base64Encoded: once, options: .ignoreUnknownCharacters), twice.first == 0x30 else {
            throw .badAsic("it does not decode to a CMS envelope")
        }
        return twice
    }
}

/// Finds where a top-level member's value lies in a JSON object's bytes, so it can be taken exactly as sent.
/// The input has been parsed successfully before, so the scanner only needs to skip values, not to validate them.
enum TopLevelJSON {
    static func valueRange(of key: String, in data: Data) -> Range<Data.Index>? {
        let bytes = [UInt8](data)
        var index = 0
        func skipWhitespace() { while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 } }
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let keyStart = index
            index = endOfString(bytes, from: index)
            let name = try? JSONDecoder().decode(String.self, from: Data(bytes[keyStart..<index]))
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipWhitespace()
            let valueStart = index
            index = endOfValue(bytes, from: index)
            if name == key { return data.startIndex + valueStart ..< data.startIndex + index }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }

    /// The index after the string starting at `start` (a quote).
    private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return index
    }

    /// The index after the value starting at `start`.
    private static func endOfValue(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index = endOfString(bytes, from: index)
                if depth == 0 { return index }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return index }
                depth -= 1
                if depth == 0 { return index + 1 }
            case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D:
                if depth == 0 { return index }
            default:
                break
            }
            index += 1
        }
        return index
    }
}
