import Foundation
import Hummingbird
import NIOCore

/// Small helpers for the sandbox servers' answers.
enum HTTPAnswer {
    static func json(_ object: Any, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        bytes(jsonData(object), status: status, contentType: contentType)
    }

    /// The JSON text of `object` with sorted keys and unescaped slashes, as `JSONSerialization` writes it. The
    /// values the sandbox answers with (strings, booleans, integers, null, arrays, objects) are written directly,
    /// which costs a fraction of `JSONSerialization` (the broker answers several per message); anything else goes
    /// to `JSONSerialization`.
    static func jsonData(_ object: Any) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        if FastJSON.write(object, to: &out) { return Data(out) }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        bytes(Data(text.utf8), status: status, contentType: contentType)
    }

    static func bytes(_ data: Data, status: HTTPResponse.Status = .ok, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An RFC 7807 problem, as the Altinn APIs answer.
    static func problem(_ status: HTTPResponse.Status, title: String, detail: String) -> Response {
        json(["type": "https://tools.ietf.org/html/rfc9110#section-15", "title": title, "status": status.code, "detail": detail],
             status: status, contentType: "application/problem+json")
    }

    /// Reads a whole small request body (JSON, forms) up to `limit` bytes.
    static func collectBody(_ request: Request, limit: Int = 1 << 20) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        return Data(buffer.readableBytesView)
    }

    /// The user name and password of a `Basic` Authorization header.
    static func basicCredentials(_ request: Request) -> (String, String)? {
        guard let value = request.headers[.authorization], value.lowercased().hasPrefix("basic "),
              let decoded = Data(base64Encoded: String(value.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// A response body that streams `url` (of `size` bytes) in chunks.
    static func fileBody(_ url: URL, size: Int64) -> ResponseBody {
        ResponseBody(contentLength: Int(size)) { writer in
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 256 * 1024), !chunk.isEmpty {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization], value.lowercased().hasPrefix("bearer ") else { return nil }
        let token = value.dropFirst(7)
        guard token.first == " " || token.last == " " || token.first == "\t" || token.last == "\t" else { return String(token) }
        return String(token).trimmingCharacters(in: .whitespaces)
    }
}

/// Writes the JSON values the sandbox uses; false for any other value.
enum FastJSON {
    static func write(_ value: Any, to out: inout [UInt8]) -> Bool {
        // Exact types only: an NSNumber (from parsed JSON) could be a Bool or a number, so it is left to
        // JSONSerialization like any other value not listed here.
        let type = Swift.type(of: value)
        if type == String.self {
            string(value as! String, to: &out)
        } else if type == Bool.self {
            out.append(contentsOf: Array(((value as! Bool) ? "true" : "false").utf8))
        } else if type == Int.self {
            out.append(contentsOf: Array(String(value as! Int).utf8))
        } else if type == Int64.self {
            out.append(contentsOf: Array(String(value as! Int64).utf8))
        } else if type == Int32.self {
            out.append(contentsOf: Array(String(value as! Int32).utf8))
        } else if type == NSNull.self {
            out.append(contentsOf: Array("null".utf8))
        } else if let object = value as? [String: Any] {
            out.append(UInt8(ascii: "{"))
            for (index, key) in object.keys.sorted(by: keyOrder).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                string(key, to: &out)
                out.append(UInt8(ascii: ":"))
                guard write(object[key]!, to: &out) else { return false }
            }
            out.append(UInt8(ascii: "}"))
        } else if let array = value as? [Any] {
            out.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard write(element, to: &out) else { return false }
            }
            out.append(UInt8(ascii: "]"))
        } else {
            return false
        }
        return true
    }

    /// `JSONSerialization`'s order for `.sortedKeys`: ignoring case, then exact.
    private static func keyOrder(_ a: String, _ b: String) -> Bool {
        let lowerA = a.lowercased(), lowerB = b.lowercased()
        return lowerA != lowerB ? lowerA < lowerB : a < b
    }

    private static func string(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                out.append(contentsOf: Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8))
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
