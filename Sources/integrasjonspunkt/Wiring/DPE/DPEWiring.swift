import Channels
import Engine
import Foundation
import IPConfiguration
import Model
import NIOCore

/// DPE, eInnsyn over the Azure Service Bus (`difi.move.nextmove.serviceBus.*`, `internals.md` §2.5): the sending
/// side puts messages on the receiver's queue, the incoming side reads our own queue every `pollingrate`, and a
/// health component shows whether the bus takes our key. Statuses come back as status messages (`status-services`
/// has DPE), so there is no status source.
enum DPEWiring: ChannelWiring {
    static let serviceIdentifier = ServiceIdentifier.DPE

    static func make(_ context: ChannelContext) throws -> ChannelParts? {
        let configuration = context.configuration
        guard configuration.features.enableDPE else { return nil }
        let transport = try transport(context)
        let board = DPEStatusBoard()
        let sender = DPEChannel(transport: transport, registry: context.registry, identity: context.identity,
                                spoolDirectory: try context.temporaryDirectory("dpe-outgoing"), time: context.time)
        let incoming = DPEIncoming(transport: transport, board: board, time: context.time, logger: context.logger)
        return ChannelParts(sender: sender,
                            incoming: [ScheduledIncomingChannel(incoming, interval: configuration.serviceBus.pollingRate.seconds)],
                            health: [DPEHealth(board: board, namespace: transport.bus.configuration.baseURL,
                                               queue: transport.naming.ownQueue)])
    }

    static func transport(_ context: ChannelContext) throws -> DPETransport {
        let configuration = context.configuration
        let bus = configuration.serviceBus
        let time = context.time
        let client = ServiceBusClient(
            configuration: ServiceBusConfiguration(host: bus.baseURL, useHTTPS: bus.useHTTPS, keyName: bus.sasKeyName,
                                                   requestTimeout: .milliseconds(bus.connectTimeout.wholeMilliseconds)),
            httpClient: context.httpClient, keys: keys(configuration, registry: context.registry, time: time),
            now: { time.now })
        let naming = DPEQueueNaming(ownOrganisationNumber: context.organisationNumber,
                                    mode: ServiceBusQueueMode(configured: bus.mode.rawValue) ?? .innsyn,
                                    receiptQueue: bus.receiptQueue)
        return DPETransport(bus: client, naming: naming, packer: DPEMessagePacker(uploadSizeLimit: configuration.uploadSizeLimits.dpe),
                            readMaxMessages: bus.readMaxMessages, temporaryDirectory: try context.temporaryDirectory("dpe"),
                            logger: context.logger)
    }

    /// The registry's `/sastoken` when `difi.move.oidc.enable=true`, else `sasToken` (as upstream's
    /// `ServiceBusUtil.getSasKey`); with neither, every call fails with the fix (and health says so).
    static func keys(_ configuration: IntegrasjonspunktConfiguration, registry: ServiceRegistryClient,
                     time: any TimeSource) -> any SASKeyProvider {
        if configuration.oidc.enabled { return RegistrySASKey(registry: registry, now: { time.now }) }
        if let token = configuration.serviceBus.sasToken { return ConfiguredSASKey(token) }
        return MissingSASKey()
    }
}

/// No key: `difi.move.oidc.enable=false` and no `sasToken` (DPE switched on only by the production profile).
struct MissingSASKey: SASKeyProvider {
    static let marker = "No Service Bus key"

    func key() async throws -> String {
        throw SASKeyError("\(Self.marker): difi.move.oidc.enable=false and difi.move.nextmove.serviceBus.sasToken is not set. Set sasToken to the key from Digdir, enable difi.move.oidc to fetch it from the service registry, or set difi.move.feature.enableDPE=false.")
    }

    func invalidate() async {}
}

extension Duration {
    /// Whole milliseconds.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
