import Crypto
import _CryptoExtras
import Foundation
import X509

/// Compact JWS that carry their signer's certificate chain in `x5c` (RFC 7515 §4.1.6): the DPI business
/// messages we send and the receipts the DPI corner 2 returns.
///
/// The signer is trusted for who its certificate says it is, so verification is two checks: the signature verifies
/// with the key of the first `x5c` certificate, and that certificate chains to a trust anchor (`CertificateTrust`).
public enum CertificateChainJWS {
    /// What a verified JWS says.
    public struct Verified: Sendable {
        public var payload: Data
        public var algorithm: String
        /// The `x5c` leaf, validated.
        public var signer: Certificate
    }

    /// Signs `payload` RS256 with the identity's key; `x5c` holds its chain, leaf first (`typ` is left out, as the
    /// upstream writes it).
    public static func sign(payload: Data, identity: PrivateKeyAndCertificate) throws -> String {
        try RS256CompactJWS.sign(payload: payload,
                                 extraHeader: ["x5c": identity.certificateChainDER.map { $0.base64EncodedString() }],
                                 key: identity.signingKey)
    }

    /// Verifies the signature with the `x5c` leaf (RS256/384/512, PS256/384/512) and the leaf's chain against `trust`
    /// at `time`. Throws `CertificateChainJWSError` with what failed.
    public static func verify(_ compact: String, trust: CertificateTrust, at time: Date) async throws -> Verified {
        let parsed: RS256CompactJWS.Parsed
        do { parsed = try RS256CompactJWS.parse(compact) } catch {
            throw CertificateChainJWSError.malformed("\(error)")
        }
        let algorithm = parsed.algorithm ?? "none"
        do { try JWSVerifier.requireSupported(algorithm) } catch {
            throw CertificateChainJWSError.unsupportedAlgorithm(algorithm)
        }
        let chain: [Certificate]
        do { chain = try parsed.certificateChainDER.map { try Certificate(derEncoded: Array($0)) } } catch {
            throw CertificateChainJWSError.malformed("an x5c entry is not a DER certificate (\(error))")
        }
        guard let leaf = chain.first else { throw CertificateChainJWSError.missingCertificate }
        guard let key = _RSA.Signing.PublicKey(leaf.publicKey) else {
            throw CertificateChainJWSError.unsupportedKey(leaf.subject.description)
        }
        guard JWSVerifier.isValidSignature(parsed.signature, algorithm: algorithm, signingInput: parsed.signingInput, key: key) else {
            throw CertificateChainJWSError.badSignature(signer: leaf.subject.description)
        }
        do {
            try await trust.validate(leaf, presented: Array(chain.dropFirst()), at: time)
        } catch let error as CertificateTrustError {
            throw CertificateChainJWSError.untrustedCertificate(error)
        }
        return Verified(payload: parsed.payload, algorithm: algorithm, signer: leaf)
    }
}

/// Why a JWS with `x5c` was refused.
public enum CertificateChainJWSError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupportedAlgorithm(String)
    case missingCertificate
    case unsupportedKey(String)
    case badSignature(signer: String)
    case untrustedCertificate(CertificateTrustError)

    public var description: String {
        switch self {
        case .malformed(let detail):
            return "The signed message is not a valid JWS: \(detail)."
        case .unsupportedAlgorithm(let algorithm):
            return "The signed message uses '\(algorithm)'; only RS256/384/512 and PS256/384/512 are accepted."
        case .missingCertificate:
            return "The signed message carries no certificate in its x5c header, so its signer cannot be checked."
        case .unsupportedKey(let subject):
            return "The certificate '\(subject)' of the signed message has no RSA key."
        case .badSignature(let signer):
            return "The signature does not verify with the certificate of '\(signer)' in x5c: the message was altered or signed with another key."
        case .untrustedCertificate(let error):
            return "The signer of the message is not trusted. \(error.description)"
        }
    }
}
