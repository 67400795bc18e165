import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The eFormidling `manifest.xml` at the root of every container (nextmove-api.md §8.1).
public struct EformidlingManifest: Sendable, Equatable {
    /// Receiver and sender as `iso6523-actorid-upis` identifiers, e.g. `0192:910075918`.
    public var receiver: String
    public var sender: String
    /// The primary document: its file name and MIME type.
    public var primaryDocumentFilename: String
    public var primaryDocumentMimeType: String

    public init(receiver: String, sender: String, primaryDocumentFilename: String, primaryDocumentMimeType: String) {
        self.receiver = receiver
        self.sender = sender
        self.primaryDocumentFilename = primaryDocumentFilename
        self.primaryDocumentMimeType = primaryDocumentMimeType
    }

    public static let filename = "manifest.xml"

    /// The XML the upstream writes (title always "Hoveddokument").
    public func xml() -> Data {
        let e = XMLEscaping.escape
        return Data("""
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest>
           <mottaker>
              <organisasjon authority="iso6523-actorid-upis">\(e(receiver))</organisasjon>
           </mottaker>
           <avsender>
              <organisasjon authority="iso6523-actorid-upis">\(e(sender))</organisasjon>
           </avsender>
           <hoveddokument href="\(e(primaryDocumentFilename))" mime="\(e(primaryDocumentMimeType))">
              <tittel lang="no">Hoveddokument</tittel>
           </hoveddokument>
        </manifest>

        """.utf8)
    }
}

extension EformidlingManifest {
    /// Reads a received `manifest.xml` (element names matched without namespace prefixes).
    public static func parse(_ data: Data) throws -> EformidlingManifest {
        let delegate = EformidlingManifestParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), let receiver = delegate.receiver, let sender = delegate.sender,
              let href = delegate.primaryHref else {
            throw AsicError.malformedManifest("manifest.xml lacks mottaker, avsender or hoveddokument href")
        }
        return EformidlingManifest(receiver: receiver, sender: sender, primaryDocumentFilename: href,
                                   primaryDocumentMimeType: delegate.primaryMime ?? "application/octet-stream")
    }
}

private final class EformidlingManifestParser: NSObject, XMLParserDelegate {
    var receiver: String?, sender: String?, primaryHref: String?, primaryMime: String?
    private var path: [String] = []
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        let name = elementName.split(separator: ":").last.map(String.init) ?? elementName
        path.append(name)
        text = ""
        if name == "hoveddokument" { primaryHref = attributes["href"]; primaryMime = attributes["mime"] }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if path.suffix(2) == ["mottaker", "organisasjon"] { receiver = value }
        if path.suffix(2) == ["avsender", "organisasjon"] { sender = value }
        path.removeLast()
        text = ""
    }
}

enum XMLEscaping {
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
