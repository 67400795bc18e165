import Crypto
import _CryptoExtras
import Foundation
import X509

/// One file an ASiC-E XAdES signature covers: its name in the container, MIME type and SHA-256.
public struct XAdESDataObject: Sendable, Equatable {
    public var filename: String
    public var mimeType: String
    public var sha256: Data

    public init(filename: String, mimeType: String, sha256: Data) {
        self.filename = filename
        self.mimeType = mimeType
        self.sha256 = sha256
    }
}

/// `META-INF/signatures.xml`: the XAdES-BES signature of an ASiC-E container as DPI sends it (ETSI TS 102 918,
/// XAdES 1.3.2), laid out as Digdir's asic library writes it.
///
/// One `ds:Signature` (`Id="Signature"`) in an `XAdESSignatures` root:
/// - a `ds:Reference` per file (`Id="ID_<n>"`, `URI` = the file name percent-encoded, SHA-256 of its bytes);
/// - a `ds:Reference` to `#SignedProperties` (type `http://uri.etsi.org/01903#SignedProperties`, inclusive C14N);
/// - SignedInfo canonicalised with inclusive C14N 1.0 and signed RSA-SHA256;
/// - `ds:KeyInfo` with the signer's certificate chain;
/// - the XAdES `SignedProperties`: signing time, the signing certificate (digest, issuer, serial) and a
///   `DataObjectFormat` with the MIME type of every file.
///
/// Every namespace is declared on the root and the signed parts are written in canonical form, so their
/// canonical bytes are the written bytes with those declarations added to the part's start tag (see
/// `CanonicalXMLWriter`). Verifiers must treat `Id` as an ID attribute (`xmlsec1 --id-attr:Id …SignedProperties`).
public enum XAdESSignature {
    public static let filename = "META-INF/signatures.xml"

    static let asicNamespace = "http://uri.etsi.org/02918/v1.2.1#"
    static let dsNamespace = "http://www.w3.org/2000/09/xmldsig#"
    static let xadesNamespace = "http://uri.etsi.org/01903/v1.3.2#"
    static let c14n = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
    static let rsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    static let sha256 = "http://www.w3.org/2001/04/xmlenc#sha256"
    static let sha1 = "http://www.w3.org/2000/09/xmldsig#sha1"
    static let signedPropertiesType = "http://uri.etsi.org/01903#SignedProperties"

    /// The namespace declarations of the root, as canonical XML orders them (default first, then by prefix).
    static let namespaceDeclarations =
        " xmlns=\"\(asicNamespace)\" xmlns:ds=\"\(dsNamespace)\" xmlns:xades=\"\(xadesNamespace)\""

    /// The signature document over `objects`, signed by `identity` at `signingTime`.
    public static func sign(_ objects: [XAdESDataObject], identity: PrivateKeyAndCertificate, signingTime: Date) throws -> Data {
        let properties = signedProperties(objects, certificate: identity.certificate,
                                          certificateDER: identity.certificateDER, signingTime: signingTime)
        let canonicalProperties = "<xades:SignedProperties\(namespaceDeclarations) Id=\"SignedProperties\">"
            + properties + "</xades:SignedProperties>"
        let info = signedInfo(objects, signedPropertiesDigest: Data(SHA256.hash(data: Data(canonicalProperties.utf8))))
        let canonicalInfo = "<ds:SignedInfo\(namespaceDeclarations)>" + info + "</ds:SignedInfo>"
        let signature = try identity.signingKey.signature(for: SHA256.hash(data: Data(canonicalInfo.utf8)),
                                                          padding: .insecurePKCS1v1_5)
        var xml = CanonicalXMLWriter()
        xml.element("ds:Signature", [("Id", "Signature")]) { xml in
            xml.element("ds:SignedInfo") { $0.append(info) }
            xml.element("ds:SignatureValue", text: signature.rawRepresentation.base64EncodedString())
            xml.element("ds:KeyInfo") { xml in
                xml.element("ds:X509Data") { xml in
                    for der in identity.certificateChainDER {
                        xml.element("ds:X509Certificate", text: der.base64EncodedString())
                    }
                }
            }
            xml.element("ds:Object") { xml in
                xml.element("xades:QualifyingProperties", [("Target", "#Signature")]) { xml in
                    xml.element("xades:SignedProperties", [("Id", "SignedProperties")]) { $0.append(properties) }
                }
            }
        }
        let document = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>"
            + "<XAdESSignatures\(namespaceDeclarations)>" + xml.output + "</XAdESSignatures>"
        return Data(document.utf8)
    }

    /// The content of `ds:SignedInfo`, canonical.
    static func signedInfo(_ objects: [XAdESDataObject], signedPropertiesDigest: Data) -> String {
        var xml = CanonicalXMLWriter()
        xml.empty("ds:CanonicalizationMethod", [("Algorithm", c14n)])
        xml.empty("ds:SignatureMethod", [("Algorithm", rsaSHA256)])
        for (index, object) in objects.enumerated() {
            xml.element("ds:Reference", [("Id", "ID_\(index)"), ("URI", referenceURI(object.filename))]) { xml in
                xml.empty("ds:DigestMethod", [("Algorithm", sha256)])
                xml.element("ds:DigestValue", text: object.sha256.base64EncodedString())
            }
        }
        xml.element("ds:Reference", [("Type", signedPropertiesType), ("URI", "#SignedProperties")]) { xml in
            xml.element("ds:Transforms") { $0.empty("ds:Transform", [("Algorithm", c14n)]) }
            xml.empty("ds:DigestMethod", [("Algorithm", sha256)])
            xml.element("ds:DigestValue", text: signedPropertiesDigest.base64EncodedString())
        }
        return xml.output
    }

    /// The content of `xades:SignedProperties`, canonical.
    ///
    /// The certificate digest is SHA-1, as every SDP client writes it: it only names the certificate that
    /// `KeyInfo` carries, and postbox verifiers are known to read SHA-1 there. The signature itself is RSA-SHA256.
    static func signedProperties(_ objects: [XAdESDataObject], certificate: Certificate, certificateDER: Data,
                                 signingTime: Date) -> String {
        var xml = CanonicalXMLWriter()
        xml.element("xades:SignedSignatureProperties") { xml in
            xml.element("xades:SigningTime", text: signingTimeText(signingTime))
            xml.element("xades:SigningCertificate") { xml in
                xml.element("xades:Cert") { xml in
                    xml.element("xades:CertDigest") { xml in
                        xml.empty("ds:DigestMethod", [("Algorithm", sha1)])
                        xml.element("ds:DigestValue", text: Data(Insecure.SHA1.hash(data: certificateDER)).base64EncodedString())
                    }
                    xml.element("xades:IssuerSerial") { xml in
                        xml.element("ds:X509IssuerName", text: certificate.issuer.description)
                        xml.element("ds:X509SerialNumber", text: DecimalText.unsigned(Array(certificate.serialNumber.bytes)))
                    }
                }
            }
        }
        xml.element("xades:SignedDataObjectProperties") { xml in
            for index in objects.indices {
                xml.element("xades:DataObjectFormat", [("ObjectReference", "#ID_\(index)")]) { xml in
                    xml.element("xades:MimeType", text: objects[index].mimeType)
                }
            }
        }
        return xml.output
    }

    /// A file name as a relative URI: everything but letters, digits and `.-*_` percent-encoded (UTF-8), as Java's
    /// `URLEncoder` does, except that a space is `%20` (a `+` would name another file for a URI resolver).
    static func referenceURI(_ filename: String) -> String {
        var out = ""
        for byte in filename.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "*"),
                 UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// `xsd:dateTime` in UTC with milliseconds.
    static func signingTimeText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return formatter.string(from: date)
    }
}

/// Big unsigned integers as decimal text (certificate serial numbers for `X509SerialNumber`).
enum DecimalText {
    static func unsigned(_ bigEndian: [UInt8]) -> String {
        var number = Array(bigEndian.drop { $0 == 0 })
        guard !number.isEmpty else { return "0" }
        var digits: [UInt8] = []
        while !number.isEmpty {
            var remainder = 0
            var quotient: [UInt8] = []
            for byte in number {
                let value = remainder << 8 | Int(byte)
                let digit = value / 10
                remainder = value % 10
                if !(quotient.isEmpty && digit == 0) { quotient.append(UInt8(digit)) }
            }
            digits.append(UInt8(remainder))
            number = quotient
        }
        return String(digits.reversed().map { Character(Unicode.Scalar($0 + 48)) })
    }
}
