import Foundation

/// The raw fields of an X.509 certificate that CMS needs byte for byte
/// (issuer and serial number for recipient and signer identifiers, the public key for matching).
struct CertificateFields: Sendable {
    var serialNumber: [UInt8]       // full INTEGER TLV
    var issuer: [UInt8]             // full Name TLV
    var subject: [UInt8]            // full Name TLV
    var subjectPublicKeyInfo: [UInt8]

    init(der: [UInt8]) throws {
        let certificate = try BERParser.parse(der)
        let tbs = try certificate.child(0)
        let offset = try tbs.child(0).identifier == 0xA0 ? 1 : 0
        serialNumber = Array(try tbs.child(offset).encoded)
        issuer = Array(try tbs.child(offset + 2).encoded)
        subject = Array(try tbs.child(offset + 4).encoded)
        subjectPublicKeyInfo = Array(try tbs.child(offset + 5).encoded)
    }

    /// IssuerAndSerialNumber (RFC 5652 §10.2.4), DER.
    var issuerAndSerialNumber: [UInt8] { DERBuilder.sequence(issuer, serialNumber) }
}
