/// Writes XML text element by element, escaping as it goes. Elements with no value are left out, so optional
/// fields never appear empty.
public struct XMLWriter: Sendable {
    public private(set) var text = ""

    public init(declaration: Bool = true) {
        if declaration { text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" }
    }

    /// `<name attr="…">`; attributes with nil values are left out.
    public mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) {
        text += "<\(name)"
        for (key, value) in attributes { if let value { text += " \(key)=\"\(Self.escape(value))\"" } }
        text += ">"
    }

    public mutating func close(_ name: String) { text += "</\(name)>" }

    /// `<name>value</name>`, or nothing when `value` is nil.
    public mutating func element(_ name: String, _ value: String?) {
        guard let value else { return }
        text += "<\(name)>\(Self.escape(value))</\(name)>"
    }

    /// Appends text that is already XML.
    public mutating func raw(_ xml: String) { text += xml }

    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for ch in value.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
