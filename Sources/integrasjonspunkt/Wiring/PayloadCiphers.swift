import Engine
import IPConfiguration
import Logging
import Packaging

/// Chooses how payloads are kept at rest (`difi.move.feature.cryptoMessagePersister`).
enum PayloadCiphers {
    static func make(_ configuration: IntegrasjonspunktConfiguration, identity: PrivateKeyAndCertificate,
                     logger: Logger) -> any PayloadCipher {
        guard configuration.features.cryptoMessagePersister else {
            logger.warning("difi.move.feature.cryptoMessagePersister=false: payloads are stored unencrypted.")
            return PlainPayloadCipher()
        }
        return CMSPayloadCipher(identity: identity)
    }
}
