import Crypto
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The ETSI ASiC manifest (`META-INF/ASiCManifest.xml`): what the CAdES signature covers.
public struct AsicManifest: Sendable, Equatable {
    public struct Reference: Sendable, Equatable {
        public var uri: String
        public var mimeType: String
        /// The XML-DSig digest algorithm URI, e.g. `http://www.w3.org/2001/04/xmlenc#sha256`.
        public var digestAlgorithm: String
        public var digest: Data
    }

    public var signatureURI: String?
    public var references: [Reference]

    static let namespace = "http://uri.etsi.org/02918/v1.2.1#"
    static let sha256URI = "http://www.w3.org/2001/04/xmlenc#sha256"

    /// The manifest as the upstream library writes it.
    func xml() -> Data {
        let e = XMLEscaping.escape
        var xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <ASiCManifest xmlns="\(Self.namespace)" xmlns:ns2="http://www.w3.org/2000/09/xmldsig#">

        """
        if let signatureURI {
            xml += "    <SigReference URI=\"\(e(signatureURI))\" MimeType=\"application/x-pkcs7-signature\"/>\n"
        }
        for reference in references {
            xml += """
                <DataObjectReference URI="\(e(reference.uri))" MimeType="\(e(reference.mimeType))">
                    <ns2:DigestMethod Algorithm="\(e(reference.digestAlgorithm))"/>
                    <ns2:DigestValue>\(reference.digest.base64EncodedString())</ns2:DigestValue>
                </DataObjectReference>

            """
        }
        return Data((xml + "</ASiCManifest>\n").utf8)
    }

    /// Reads any of the namespace variants older writers used; element names are matched without prefixes.
    static func parse(_ data: Data) throws -> AsicManifest {
        let delegate = ManifestParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), delegate.sawRoot else {
            throw AsicError.malformedManifest(parser.parserError.map { "\($0)" } ?? "no ASiCManifest element")
        }
        return AsicManifest(signatureURI: delegate.signatureURI, references: delegate.references)
    }

    /// A hash function for an XML-DSig/XML-Enc digest URI.
    static func hasher(for algorithm: String) throws -> any HashFunction.Type {
        switch algorithm {
        case sha256URI: return SHA256.self
        case "http://www.w3.org/2001/04/xmldsig-more#sha384", "http://www.w3.org/2001/04/xmlenc#sha384": return SHA384.self
        case "http://www.w3.org/2001/04/xmlenc#sha512": return SHA512.self
        case "http://www.w3.org/2000/09/xmldsig#sha1": return Insecure.SHA1.self
        default: throw AsicError.unsupportedDigest(algorithm)
        }
    }
}

private final class ManifestParser: NSObject, XMLParserDelegate {
    var sawRoot = false
    var signatureURI: String?
    var references: [AsicManifest.Reference] = []
    private var current: AsicManifest.Reference?
    private var text = ""

    private func local(_ name: String) -> String { name.split(separator: ":").last.map(String.init) ?? name }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        text = ""
        switch local(elementName) {
        case "ASiCManifest": sawRoot = true
        case "SigReference": signatureURI = attributes["URI"]
        case "DataObjectReference":
            current = .init(uri: attributes["URI"] ?? "", mimeType: attributes["MimeType"] ?? "application/octet-stream",
                            digestAlgorithm: "", digest: Data())
        case "DigestMethod": current?.digestAlgorithm = attributes["Algorithm"] ?? ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch local(elementName) {
        case "DigestValue":
            current?.digest = Data(base64Encoded: text.filter { !$0.isWhitespace }) ?? Data()
        case "DataObjectReference":
            if let current { references.append(current) }
            current = nil
        default: break
        }
    }
}
