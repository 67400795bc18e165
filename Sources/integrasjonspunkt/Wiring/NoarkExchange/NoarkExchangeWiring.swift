import AsyncHTTPClient
import Channels
import Engine
import HTTPAPI
import IPConfiguration
import Logging
import NoarkExchange

/// BEST/EDU: the `/noarkExchange` endpoint always; the push to the archive system when
/// `difi.move.noarkSystem.endpointURL` is set.
enum NoarkExchangeWiring {
    static func endpoint(_ configuration: IntegrasjonspunktConfiguration, outgoing: OutgoingMessageService,
                         registry: any ServiceRecordLookup, settings: EngineSettings, time: any TimeSource,
                         logger: Logger) -> NoarkExchangeEndpoint {
        let processes = configuration.processes
        let service = NoarkExchangeService(
            outgoing: outgoing, registry: registry,
            settings: .init(defaultProcess: processes.arkivmeldingDefaultProcess,
                            dpvDefaultProcess: processes.arkivmeldingDPVDefaultProcess,
                            documentType: processes.arkivmeldingDefaultDocumentType,
                            receiptProcess: processes.arkivmeldingReceiptProcess,
                            receiptDocumentType: processes.arkivmeldingReceiptDocumentType,
                            returnOkOnEmptyPayload: configuration.returnOkOnEmptyPayload),
            engine: settings, time: time, logger: logger)
        return NoarkExchangeEndpoint(service: service, scheme: configuration.ssl.enabled ? "https" : "http")
    }

    /// The archive system's client, or nil when none is configured.
    static func archiveSystem(_ configuration: IntegrasjonspunktConfiguration, logger: Logger) -> (any ArchiveSystemClient)? {
        guard let system = configuration.noarkSystem else { return nil }
        let type = NoarkSystemType(configured: system.type.rawValue) ?? .noarkExchange
        logger.info("Incoming arkivmelding messages are delivered to the archive system (\(type.rawValue)) at \(system.endpointURL) by BEST/EDU PutMessage.")
        let client = NoarkSystemClient(
            configuration: .init(endpointURL: system.endpointURL, type: type, username: system.username,
                                 password: system.password, domain: system.domain),
            http: HTTPClient.shared)
        return ArchiveSystem(client: client)
    }
}

/// The Channels SOAP client as the engine's ``ArchiveSystemClient``.
struct ArchiveSystem: ArchiveSystemClient {
    let client: NoarkSystemClient

    func putMessage(envelope: NoarkEnvelope, melding: Melding) async throws -> AppReceipt {
        try await client.putMessage(envelope: envelope, melding: melding)
    }
}
