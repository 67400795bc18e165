import Foundation
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// Trust anchors and known intermediate certificates, and the check that a certificate chains to one of the anchors.
///
/// Used where a peer proves who it is with a certificate rather than a key we already know, e.g. the DPI receipts'
/// `x5c`. The chain is built with swift-certificates' `Verifier` under RFC 5280 (validity of every certificate at the
/// given time, basic constraints, name constraints); the leaf must allow digital signatures when it has a key usage.
public struct CertificateTrust: Sendable {
    public let roots: [Certificate]
    public let intermediates: [Certificate]

    public init(roots: [Certificate], intermediates: [Certificate] = []) {
        self.roots = roots
        self.intermediates = intermediates
    }

    /// From DER certificates.
    public init(rootsDER: [Data], intermediatesDER: [Data] = []) throws {
        self.init(roots: try rootsDER.map { try Certificate(derEncoded: Array($0)) },
                  intermediates: try intermediatesDER.map { try Certificate(derEncoded: Array($0)) })
    }

    /// Every certificate of a PEM bundle as a trust anchor.
    public init(pemBundle: String) throws {
        let documents = try PEMDocument.parseMultiple(pemString: pemBundle).filter { $0.discriminator == "CERTIFICATE" }
        self.init(roots: try documents.map { try Certificate(derEncoded: $0.derBytes) })
    }

    /// These anchors and intermediates together with `other`'s.
    public func adding(_ other: CertificateTrust) -> CertificateTrust {
        CertificateTrust(roots: roots + other.roots, intermediates: intermediates + other.intermediates)
    }

    /// Validates `leaf` at `time`, using `presented` (e.g. the rest of an `x5c` chain) and the known intermediates
    /// to reach an anchor. Returns the chain from the leaf to the anchor; throws `CertificateTrustError` otherwise.
    @discardableResult
    public func validate(_ leaf: Certificate, presented: [Certificate] = [], at time: Date) async throws -> [Certificate] {
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
            RFC5280Policy(fixedExpiryValidationTime: time)
            SigningLeafPolicy()
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates + presented))
        switch result {
        case .validCertificate(let chain):
            return Array(chain)
        case .couldNotValidate(let failures):
            let reasons = failures.map { "\($0.policyFailureReason)" }
            throw CertificateTrustError(subject: leaf.subject.description, issuer: leaf.issuer.description,
                                        reason: reasons.isEmpty
                                            ? "no chain leads from it to a trusted root certificate"
                                            : reasons.joined(separator: "; "))
        }
    }
}

/// Why a certificate was not trusted.
public struct CertificateTrustError: Error, Sendable, Equatable, CustomStringConvertible {
    public var subject: String
    public var issuer: String
    public var reason: String

    public var description: String {
        "The certificate '\(subject)' (issued by '\(issuer)') is not trusted: \(reason)."
    }
}

/// The leaf of a signing certificate chain must allow signatures when it restricts its key usage.
struct SigningLeafPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = []

    mutating func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        guard let usage = try? chain.leaf.extensions.keyUsage else { return .meetsPolicy }
        if usage.digitalSignature || usage.nonRepudiation { return .meetsPolicy }
        return .failsToMeetPolicy(reason: "its key usage does not allow digital signatures")
    }
}
