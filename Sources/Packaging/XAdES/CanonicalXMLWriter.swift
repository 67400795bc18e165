import Foundation

/// Writes XML already in the form Canonical XML 1.0 gives it (W3C `REC-xml-c14n-20010315`): start and end tag
/// for every element (no `<a/>`), attributes sorted, no whitespace between elements, and the c14n escapes in text
/// and attribute values.
///
/// The XAdES signature signs the canonical form of parts of `signatures.xml`. Writing those parts already
/// canonical means the bytes we digest are exactly what a verifier's canonicaliser produces from the document,
/// without an XML library: only the namespace declarations, which the document carries on its root element,
/// have to be added to the start tag of the part that is signed.
struct CanonicalXMLWriter {
    private(set) var output = ""

    /// An element with attributes (all unqualified; sorted by name here) and content written by `content`.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], _ content: (inout CanonicalXMLWriter) -> Void) {
        output += "<" + name + Self.attributes(attributes) + ">"
        content(&self)
        output += "</" + name + ">"
    }

    /// An element holding only text.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text: String) {
        output += "<" + name + Self.attributes(attributes) + ">" + Self.escapeText(text) + "</" + name + ">"
    }

    /// An element without content, written as a start and an end tag as c14n does.
    mutating func empty(_ name: String, _ attributes: [(String, String)] = []) {
        output += "<" + name + Self.attributes(attributes) + "></" + name + ">"
    }

    /// Appends content that is already canonical.
    mutating func append(_ canonical: String) { output += canonical }

    /// ` name="value"` pairs, sorted by name (c14n orders unqualified attributes by local name).
    static func attributes(_ attributes: [(String, String)]) -> String {
        attributes.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { " \($0.0)=\"\(escapeAttribute($0.1))\"" }.joined()
    }

    /// Text escapes of c14n §2.3: `&`, `<`, `>` and carriage return.
    static func escapeText(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": out += "&#xD;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Attribute escapes of c14n §2.3: `&`, `<`, `"`, tab, line feed and carriage return.
    static func escapeAttribute(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case "\"": out += "&quot;"
            case "\t": out += "&#x9;"
            case "\n": out += "&#xA;"
            case "\r": out += "&#xD;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
