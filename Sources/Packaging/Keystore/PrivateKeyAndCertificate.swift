import Crypto
import _CryptoExtras
import Foundation
import X509

/// A private key with its certificate chain: what a keystore alias yields.
///
/// The same RSA key is offered for signing (CAdES, JWT) and for decryption (CMS key transport).
public struct PrivateKeyAndCertificate: Sendable {
    public let alias: String
    public let signingKey: _RSA.Signing.PrivateKey
    /// The key in PKCS#8 or PKCS#1 DER, as the keystore held it.
    public let privateKeyDER: Data
    /// The key for RSA decryption (CMS key transport), parsed once: a key made anew for every decryption would
    /// also set up its Montgomery and blinding values anew, which costs about a third of the decryption itself.
    public var decryptionKey: _RSA.Encryption.PrivateKey { decryption.key }
    private let decryption: DecryptionKey
    /// The certificate of the key, then its issuers as far as the keystore holds them.
    public let certificateChain: [Certificate]
    /// The DER encodings of `certificateChain`, in the same order.
    public let certificateChainDER: [Data]

    public var certificate: Certificate { certificateChain[0] }
    public var certificateDER: Data { certificateChainDER[0] }

    /// Builds the value from a PKCS#8 or PKCS#1 RSA key and DER certificates (leaf first).
    public init(alias: String, privateKeyDER: Data, certificateChainDER: [Data]) throws {
        guard let leaf = certificateChainDER.first else { throw KeystoreError.corrupt("no certificate for '\(alias)'") }
        try Self.requireRSA(privateKeyDER)
        do {
            signingKey = try _RSA.Signing.PrivateKey(derRepresentation: privateKeyDER)
            decryption = DecryptionKey(key: try _RSA.Encryption.PrivateKey(derRepresentation: privateKeyDER))
        } catch {
            throw KeystoreError.unsupportedKey("the RSA key of '\(alias)' could not be read (\(error)); keys below 2048 bits are refused")
        }
        let fields = try CertificateFields(der: Array(leaf))
        guard fields.subjectPublicKeyInfo == Array(signingKey.publicKey.derRepresentation) else {
            throw KeystoreError.keyDoesNotMatchCertificate(alias: alias)
        }
        self.alias = alias
        self.privateKeyDER = privateKeyDER
        self.certificateChainDER = certificateChainDER
        self.certificateChain = try certificateChainDER.map { try Certificate(derEncoded: Array($0)) }
    }

    /// Throws unless the certificate is valid at `now` (the upstream's start-up check).
    public func checkValidity(now: Date) throws {
        let subject = certificate.subject.description
        if now < certificate.notValidBefore {
            throw KeystoreError.certificateNotYetValid(subject: subject, notBefore: certificate.notValidBefore, now: now)
        }
        if now > certificate.notValidAfter {
            throw KeystoreError.certificateExpired(subject: subject, notAfter: certificate.notValidAfter, now: now)
        }
    }

    private static func requireRSA(_ der: Data) throws {
        guard let node = try? BERParser.parse(Array(der)), node.children.count >= 3 else { return }
        // PKCS#8: version, AlgorithmIdentifier, key. PKCS#1 starts with nine INTEGERs instead.
        guard let algorithm = try? node.child(1), algorithm.identifier == 0x30,
              let oid = try? algorithm.child(0).oid else { return }
        if oid != OID.rsaEncryption { throw KeystoreError.unsupportedAlgorithm(oid: oid, context: "the private key (only RSA is supported)") }
    }
}

/// Holds the parsed decryption key. `_RSA.Encryption.PrivateKey` is not marked `Sendable`, but it is an immutable
/// wrapper of a BoringSSL `RSA` object, whose private-key operations are safe from several threads at once (BoringSSL
/// locks its blinding cache).
private final class DecryptionKey: @unchecked Sendable {
    let key: _RSA.Encryption.PrivateKey
    init(key: _RSA.Encryption.PrivateKey) { self.key = key }
}

/// A key entry as a keystore format reads it, before the key is parsed and matched.
struct KeystoreEntry {
    var alias: String
    var privateKeyInfo: [UInt8]
    var leafCertificate: [UInt8]?
    var otherCertificates: [[UInt8]]

    func resolve() throws -> PrivateKeyAndCertificate {
        var leaf = leafCertificate
        if leaf == nil, let key = try? _RSA.Signing.PrivateKey(derRepresentation: privateKeyInfo) {
            let spki = Array(key.publicKey.derRepresentation)
            leaf = otherCertificates.first { (try? CertificateFields(der: $0).subjectPublicKeyInfo) == spki }
                ?? otherCertificates.first  // reported below as a key that does not match its certificate
        }
        guard let leaf else { throw KeystoreError.corrupt("the key '\(alias)' has no certificate in the keystore") }
        return try PrivateKeyAndCertificate(alias: alias, privateKeyDER: Data(privateKeyInfo),
                                            certificateChainDER: Self.chain(from: leaf, candidates: otherCertificates).map { Data($0) })
    }

    /// The leaf followed by its issuers, matched by name, as far as `candidates` reach.
    static func chain(from leaf: [UInt8], candidates: [[UInt8]]) -> [[UInt8]] {
        var chain = [leaf]
        while chain.count < 10, let current = try? CertificateFields(der: chain[chain.count - 1]),
              current.issuer != current.subject,
              let issuer = candidates.first(where: { (try? CertificateFields(der: $0).subject) == current.issuer }),
              !chain.contains(issuer) {
            chain.append(issuer)
        }
        return chain
    }
}
