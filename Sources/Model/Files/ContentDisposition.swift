import Foundation

/// A parsed `Content-Disposition` header (`attachment; name="Before The Law"; filename="before_the_law.txt"`).
///
/// Values may be quoted (with `\` escapes) or bare tokens; RFC 5987 extended values (`filename*=UTF-8''…`,
/// `name*=ISO-8859-1'en'…`) are decoded and win over the plain parameter, as in Spring's `ContentDisposition`.
public struct ContentDisposition: Sendable, Hashable {
    /// `attachment`, `form-data`, `inline` (lower-cased).
    public var type: String
    public var name: String?
    public var filename: String?
    /// Every parameter, names lower-cased, extended values decoded (without the `*`).
    public var parameters: [String: String]

    public init(type: String, name: String? = nil, filename: String? = nil, parameters: [String: String] = [:]) {
        self.type = type
        self.name = name
        self.filename = filename
        self.parameters = parameters
    }

    /// Parses a header value; nil when it has no type or a parameter is malformed.
    public init?(parsing header: String) {
        let parts = ContentDisposition.split(header)
        guard let first = parts.first?.trimmingCharacters(in: .whitespaces), !first.isEmpty, !first.contains("=")
        else { return nil }
        var plain: [String: String] = [:]
        var extended: [String: String] = [:]
        for part in parts.dropFirst() {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else { return nil }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { return nil }
            if key.hasSuffix("*") {
                if value.hasPrefix("\"") { value = ContentDisposition.unquote(value) }
                guard let decoded = ContentDisposition.decodeExtended(value) else { return nil }
                extended[String(key.dropLast())] = decoded
            } else {
                plain[key] = value.hasPrefix("\"") ? ContentDisposition.unquote(value) : value
            }
        }
        let all = plain.merging(extended) { _, ext in ext }
        self.init(type: first.lowercased(), name: all["name"], filename: all["filename"], parameters: all)
    }

    /// Splits on `;` outside quoted strings.
    static func split(_ header: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for ch in header {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" && quoted { current.append(ch); escaped = true; continue }
            if ch == "\"" { quoted.toggle() }
            if ch == ";" && !quoted { parts.append(current); current = ""; continue }
            current.append(ch)
        }
        parts.append(current)
        return parts
    }

    static func unquote(_ value: String) -> String {
        var inner = Substring(value)
        if inner.hasPrefix("\"") { inner = inner.dropFirst() }
        if inner.hasSuffix("\"") && !inner.hasSuffix("\\\"") { inner = inner.dropLast() }
        var out = ""
        var escaped = false
        for ch in inner {
            if escaped { out.append(ch); escaped = false } else if ch == "\\" { escaped = true } else { out.append(ch) }
        }
        return out
    }

    /// RFC 5987 `charset'language'pct-encoded` with UTF-8 or ISO-8859-1 (US-ASCII too).
    static func decodeExtended(_ value: String) -> String? {
        let fields = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3 else { return nil }
        let charset = fields[0].uppercased()
        let encoding: String.Encoding
        switch charset {
        case "UTF-8": encoding = .utf8
        case "ISO-8859-1": encoding = .isoLatin1
        case "US-ASCII": encoding = .ascii
        default: return nil
        }
        var bytes: [UInt8] = []
        var utf8 = Array(fields[2].utf8)[...]
        while let b = utf8.first {
            utf8 = utf8.dropFirst()
            if b == UInt8(ascii: "%") {
                guard utf8.count >= 2, let hi = hex(utf8[utf8.startIndex]), let lo = hex(utf8[utf8.startIndex + 1])
                else { return nil }
                bytes.append(hi << 4 | lo)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(bytes: bytes, encoding: encoding)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 65...70: c - 55
        case 97...102: c - 87
        default: nil
        }
    }
}
