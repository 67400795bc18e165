import Foundation

/// A `multipart/form-data` (or `multipart/mixed`) body read whole, for the sandbox's twins: their uploads are
/// small test messages, and reading them in one piece keeps the twins simple.
public struct MultipartForm: Sendable {
    public struct Part: Sendable {
        /// Header names in lower case.
        public var headers: [String: String]
        public var name: String?
        public var filename: String?
        public var contentType: String?
        public var body: Data

        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public var parts: [Part]

    /// The value of the first text field named `name`.
    public func field(_ name: String) -> String? {
        parts.first { $0.name == name && $0.filename == nil }?.text
    }

    /// Every field that is not a file, by name (the last wins).
    public var fields: [String: String] {
        var result: [String: String] = [:]
        for part in parts where part.filename == nil {
            if let name = part.name { result[name] = part.text }
        }
        return result
    }

    public enum ParseError: Error, CustomStringConvertible {
        case noBoundary(String)
        case malformed(String)
        public var description: String {
            switch self {
            case .noBoundary(let type): "the content type '\(type)' names no multipart boundary"
            case .malformed(let why): "the multipart body is malformed: \(why)"
            }
        }
    }

    /// Reads `body` with the boundary named in `contentType`.
    public static func parse(_ body: Data, contentType: String) throws -> MultipartForm {
        guard let boundary = Self.boundary(in: contentType) else { throw ParseError.noBoundary(contentType) }
        let delimiter = Data("--\(boundary)".utf8)
        var parts: [Part] = []
        guard var cursor = body.range(of: delimiter)?.upperBound else { throw ParseError.malformed("no first boundary") }
        while true {
            // After a delimiter: "--" ends the body; otherwise CRLF and a part follow.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard body[cursor...].starts(with: Data("\r\n".utf8)) else { throw ParseError.malformed("no line break after a boundary") }
            cursor += 2
            guard let headerEnd = body.range(of: Data("\r\n\r\n".utf8), in: cursor..<body.endIndex) else {
                throw ParseError.malformed("a part has no end of headers")
            }
            let headers = Self.headers(String(decoding: body[cursor..<headerEnd.lowerBound], as: UTF8.self))
            let contentStart = headerEnd.upperBound
            guard let next = body.range(of: Data("\r\n".utf8) + delimiter, in: contentStart..<body.endIndex) else {
                throw ParseError.malformed("a part has no closing boundary")
            }
            let disposition = headers["content-disposition"] ?? ""
            parts.append(Part(headers: headers, name: Self.parameter("name", in: disposition),
                              filename: Self.parameter("filename", in: disposition),
                              contentType: headers["content-type"], body: Data(body[contentStart..<next.lowerBound])))
            cursor = next.upperBound
        }
        return MultipartForm(parts: parts)
    }

    static func boundary(in contentType: String) -> String? {
        parameter("boundary", in: contentType)
    }

    private static func headers(_ text: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in text.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()] =
                line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    /// `name="value"` or `name=value` inside a header value; `filename*=UTF-8''…` wins over `filename`.
    static func parameter(_ name: String, in header: String) -> String? {
        var found: String?
        for piece in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<equals].lowercased()
            var value = String(piece[piece.index(after: equals)...])
            if key == name + "*", let quote = value.range(of: "''") {
                return String(value[quote.upperBound...]).removingPercentEncoding
            }
            guard key == name else { continue }
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\\\", with: "\\")
            }
            found = value
        }
        return found
    }
}
