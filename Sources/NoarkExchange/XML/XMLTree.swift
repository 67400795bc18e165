import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: local name, namespace, attributes (by local name), children and text.
///
/// BEST/EDU messages are small documents (the files travel base64-encoded inside them, as the upstream's did), so a
/// tree is the simplest faithful reading: the SOAP body, the payload's `Melding` and the receipts are all navigated
/// by local name, which is how the vendors' variants (qualified or unqualified children) stay compatible.
public struct XMLTree: Sendable, Hashable {
    public var name: String
    public var namespace: String?
    public var attributes: [String: String]
    public var children: [XMLTree]
    /// The element's own character data (CDATA included), untrimmed.
    public var text: String

    public init(name: String, namespace: String? = nil, attributes: [String: String] = [:], children: [XMLTree] = [],
                text: String = "") {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child named `name` (local name).
    public func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// Every child named `name` (local name).
    public func children(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The trimmed text of the first child named `name`, nil when absent or empty.
    public func value(_ name: String) -> String? {
        guard let text = child(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    /// The first element named `name` at any depth below this one (depth first).
    public func descendant(_ name: String) -> XMLTree? {
        for child in children {
            if child.name == name { return child }
            if let found = child.descendant(name) { return found }
        }
        return nil
    }

    /// Parses a document. Throws ``XMLTreeError`` with the parser's line and column when it is not well-formed.
    public static func parse(_ data: Data) throws(XMLTreeError) -> XMLTree {
        let parser = XMLParser(data: data)
        let builder = TreeBuilder()
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let ok = parser.parse()
        guard ok, let root = builder.root else {
            let reason = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "no root element"
            throw XMLTreeError(line: parser.lineNumber, column: parser.columnNumber, reason: reason)
        }
        return root
    }

    public static func parse(_ text: String) throws(XMLTreeError) -> XMLTree {
        try parse(Data(text.utf8))
    }
}

/// Why a document could not be read as XML.
public struct XMLTreeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var reason: String

    public var description: String { "not well-formed XML (line \(line), column \(column)): \(reason)" }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var root: XMLTree?
    private var stack: [XMLTree] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        var local: [String: String] = [:]
        for (key, value) in attributes {
            let name = key.split(separator: ":").last.map(String.init) ?? key
            local[name] = value
        }
        stack.append(XMLTree(name: name, namespace: namespaceURI?.isEmpty == true ? nil : namespaceURI,
                             attributes: local))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard let element = stack.popLast() else { return }
        if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
    }
}
