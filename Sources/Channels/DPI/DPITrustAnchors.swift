import Foundation
import Packaging
import X509

/// Who may sign DPI receipts (`difi.move.dpi.certificate.mode`): the receipt's `x5c` certificate must chain to one of
/// these roots, as the upstream's SEID 2 business certificate validator requires. Revocation lists are not checked.
public enum DPITrustAnchors {
    public enum Mode: Sendable, Equatable {
        /// Buypass and Commfides test authorities, and Digdir's self-signed test root.
        case test
        /// Buypass and Commfides production authorities.
        case production
    }

    /// The trust of `mode`, with the certificates of the PEM file `additional` (e.g. the sandbox CA) as further roots.
    public static func trust(_ mode: Mode, additionalPEM additional: String? = nil) throws -> CertificateTrust {
        let roots = mode == .test ? testRoots : productionRoots
        let intermediates = mode == .test ? testIntermediates : productionIntermediates
        var trust = try CertificateTrust(rootsDER: roots.map(der), intermediatesDER: intermediates.map(der))
        if let additional {
            let extra = try CertificateTrust(pemBundle: additional)
            if extra.roots.isEmpty { throw DPITrustError.noCertificates }
            trust = trust.adding(extra)
        }
        return trust
    }

    static func der(_ base64: String) -> Data {
        Data(base64Encoded: base64, options: .ignoreUnknownCharacters) ?? Data()
    }
}

/// A trust anchor file without certificates.
public enum DPITrustError: Error, Sendable, CustomStringConvertible {
    case noCertificates

    public var description: String {
        "difi.move.dpi.certificate.trusted-certificates names a file without any PEM certificate (-----BEGIN CERTIFICATE-----)."
    }
}
