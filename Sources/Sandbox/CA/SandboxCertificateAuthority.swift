import Crypto
import _CryptoExtras
import Foundation
import Packaging
import SwiftASN1
import X509

/// A test certificate authority for the local eFormidling network.
///
/// It plays the part of Buypass/Commfides: it issues each sandbox organisation a virksomhetssertifikat
/// (3072-bit RSA, the organisation number in the subject's `serialNumber` and in `O`), and the sandbox
/// Maskinporten trusts only grants whose `x5c` certificate this authority issued.
public struct SandboxCertificateAuthority: Sendable {
    public let certificate: Certificate
    public let certificateDER: Data
    private let key: _RSA.Signing.PrivateKey

    /// Creates a fresh self-signed root, valid from an hour before `now` for ten years.
    public init(commonName: String = "eFormidling Sandbox CA", now: Date = Date(), keySize: _RSA.Signing.KeySize = .bits3072) throws {
        try self.init(commonName: commonName, now: now, key: try _RSA.Signing.PrivateKey(keySize: keySize))
    }

    /// Creates the root with a given key (tests reuse keys to save key generation time).
    public init(commonName: String = "eFormidling Sandbox CA", now: Date = Date(), key: _RSA.Signing.PrivateKey) throws {
        self.key = key
        let name = try DistinguishedName {
            CountryName("NO")
            OrganizationName("eFormidling Sandbox")
            CommonName(commonName)
        }
        certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        certificateDER = try Self.der(certificate)
    }

    /// Issues a virksomhetssertifikat for `organisationNumber`, valid for one year from an hour before `now`.
    public func issueVirksomhetssertifikat(organisationNumber: String, organisationName: String,
                                           now: Date = Date(),
                                           keySize: _RSA.Signing.KeySize = .bits3072) throws -> SandboxIdentity {
        try issueVirksomhetssertifikat(organisationNumber: organisationNumber, organisationName: organisationName, now: now,
                                       key: try _RSA.Signing.PrivateKey(keySize: keySize))
    }

    /// Issues a virksomhetssertifikat for a given key.
    public func issueVirksomhetssertifikat(organisationNumber: String, organisationName: String, now: Date = Date(),
                                           key subjectKey: _RSA.Signing.PrivateKey) throws -> SandboxIdentity {
        let base = try DistinguishedName {
            CountryName("NO")
            OrganizationName("\(organisationName) - \(organisationNumber)")
            CommonName(organisationName)
        }
        let serialNumber = try RelativeDistinguishedName.Attribute(type: .RDNAttributeType.serialNumber,
                                                                   printableString: organisationNumber)
        let subject = DistinguishedName(Array(base) + [RelativeDistinguishedName(serialNumber)])
        let issued = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(subjectKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(365 * 86400),
            issuer: certificate.subject,
            subject: subject,
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true, keyEncipherment: true, dataEncipherment: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return SandboxIdentity(organisationNumber: organisationNumber, organisationName: organisationName,
                               certificate: issued, certificateDER: try Self.der(issued),
                               caCertificateDER: certificateDER, privateKey: subjectKey)
    }

    /// Whether `certificate` carries this authority's signature and is within its validity at `now`.
    public func issued(_ candidate: Certificate, at now: Date = Date()) -> Bool {
        candidate.issuer == certificate.subject
            && certificate.publicKey.isValidSignature(candidate.signature, for: candidate)
            && candidate.notValidBefore <= now && now <= candidate.notValidAfter
    }

    static func der(_ certificate: Certificate) throws -> Data {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return Data(serializer.serializedBytes)
    }
}

extension ASN1ObjectIdentifier.RDNAttributeType {
    /// `serialNumber` (2.5.4.5): where Norwegian virksomhetssertifikater carry the organisation number.
    static let serialNumber: ASN1ObjectIdentifier = [2, 5, 4, 5]
}
