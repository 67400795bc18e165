import Foundation

/// Reads MIME header values with parameters: `multipart/related; type="application/xop+xml"; boundary=uuid:…`,
/// `form-data; name="filer_0"; filename="brev.pdf"`. Quoted values may hold `;` and escaped quotes.
public enum MIMEHeaderValue {
    /// The value before the first `;`, lowercased (`multipart/related`).
    public static func mediaType(_ value: String) -> String {
        String(value.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The parameter `name` (case-insensitive), unquoted; nil when absent.
    public static func parameter(_ name: String, in value: String) -> String? {
        parameters(value).first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// Every `name=value` parameter after the media type, in order.
    public static func parameters(_ value: String) -> [(String, String)] {
        var result: [(String, String)] = []
        var chars = Array(value)[...]
        // Skip the media type.
        while let first = chars.first, first != ";" { chars.removeFirst() }
        while !chars.isEmpty {
            chars.removeFirst()  // ';'
            var name = ""
            while let c = chars.first, c != "=", c != ";" { name.append(c); chars.removeFirst() }
            name = name.trimmingCharacters(in: .whitespaces)
            guard chars.first == "=" else { continue }
            chars.removeFirst()
            while chars.first == " " { chars.removeFirst() }
            var parameterValue = ""
            if chars.first == "\"" {
                chars.removeFirst()
                while let c = chars.first, c != "\"" {
                    chars.removeFirst()
                    if c == "\\", let escaped = chars.first { parameterValue.append(escaped); chars.removeFirst() } else { parameterValue.append(c) }
                }
                if !chars.isEmpty { chars.removeFirst() }
                while let c = chars.first, c != ";" { chars.removeFirst(); _ = c }
            } else {
                while let c = chars.first, c != ";" { parameterValue.append(c); chars.removeFirst() }
                parameterValue = parameterValue.trimmingCharacters(in: .whitespaces)
            }
            if !name.isEmpty { result.append((name, parameterValue)) }
        }
        return result
    }

    /// A quoted parameter value (`"` and `\` escaped), for writing headers.
    public static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
