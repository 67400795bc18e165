import Engine
import Foundation
import IPConfiguration
import Logging
import Model
import Operations
import Packaging

/// The integration point's virksomhetssertifikat: loaded at start-up, refused when unusable.
enum OwnIdentity {
    static func load(_ configuration: IntegrasjonspunktConfiguration, now: Date, logger: Logger) throws -> PrivateKeyAndCertificate {
        let keystore = configuration.org.keystore
        let identity: PrivateKeyAndCertificate
        do {
            identity = try KeystoreLoading.load(configuration)
            try identity.checkValidity(now: now)
        } catch {
            throw StartupError("The keystore difi.move.org.keystore.path=\(keystore.path) cannot be used: \(error)")
        }
        report(identity, now: now, logger: logger)
        return identity
    }

    /// Logs the certificate and its expiry; a warning from 30 days before.
    static func report(_ identity: PrivateKeyAndCertificate, now: Date, logger: Logger) {
        let notAfter = identity.certificate.notValidAfter
        let days = Int(notAfter.timeIntervalSince(now) / 86400)
        let text = "Certificate '\(identity.certificate.subject)' (alias \(identity.alias)) expires \(OsloTime.format(notAfter)), in \(days) days."
        if days <= 30 {
            logger.warning("\(text) Order a new virksomhetssertifikat now.")
        } else {
            logger.info("\(text)")
        }
    }

    /// The check create and send run: the certificate must still be valid.
    static func check(_ identity: PrivateKeyAndCertificate, time: any TimeSource) -> @Sendable () throws -> Void {
        {
            do {
                try identity.checkValidity(now: time.now)
            } catch {
                throw NextMoveError.invalidCertificate("\(error)")
            }
        }
    }
}
