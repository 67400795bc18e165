import Crypto
import _CryptoExtras
import Foundation
import Packaging
import X509

/// What the sandbox CA issued to one organisation: its key and virksomhetssertifikat.
public struct SandboxIdentity: Sendable {
    public let organisationNumber: String
    public let organisationName: String
    public let certificate: Certificate
    public let certificateDER: Data
    public let caCertificateDER: Data
    public let privateKey: _RSA.Signing.PrivateKey

    /// The certificate as PEM text (what the service registry's `pemCertificate` and `/virksert` carry).
    public var certificatePEM: String {
        Self.pem(certificateDER)
    }

    /// A password-protected PKCS#12 keystore with the key under `alias` and the chain (leaf, CA).
    public func pkcs12(alias: String, password: String) throws -> Data {
        try PKCS12Writer.write(privateKeyDER: privateKey.derRepresentation,
                               certificateChainDER: [certificateDER, caCertificateDER],
                               alias: alias, password: password)
    }

    /// The key and chain as Packaging's keystore value, without a round trip through a file.
    public func keystoreEntry(alias: String = "sandbox") throws -> PrivateKeyAndCertificate {
        try PrivateKeyAndCertificate(alias: alias, privateKeyDER: privateKey.derRepresentation,
                                     certificateChainDER: [certificateDER, caCertificateDER])
    }

    static func pem(_ der: Data) -> String {
        let base64 = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(base64)\n-----END CERTIFICATE-----\n"
    }
}
