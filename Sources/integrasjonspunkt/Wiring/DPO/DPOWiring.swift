import Channels
import Engine
import Foundation
import IPConfiguration
import Model

/// DPO over the Altinn 3 Broker (`difi.move.dpo.*`, `internals.md` §2.1): the sending side packs and uploads,
/// the incoming side polls the broker every `difi.move.dpo.pollingrate`. Statuses come back as status messages,
/// so there is no status source.
enum DPOWiring: ChannelWiring {
    static let serviceIdentifier = ServiceIdentifier.DPO

    static func make(_ context: ChannelContext) throws -> ChannelParts? {
        let configuration = context.configuration
        guard configuration.features.enableDPO else { return nil }
        let transport = try transport(context)
        let sender = DPOChannel(transport: transport, registry: context.registry, identity: context.identity,
                                spoolDirectory: context.workDirectory.appendingPathComponent("tmp/outgoing"),
                                time: context.time)
        return ChannelParts(sender: sender,
                            incoming: [ScheduledIncomingChannel(DPOIncoming(transport: transport),
                                                                interval: configuration.dpo.pollingRate.seconds)])
    }

    static func transport(_ context: ChannelContext) throws -> DPOTransport {
        let org = context.organisationNumber
        let dpo = context.configuration.dpo
        let maskinporten = context.maskinporten(url: dpo.oidcURL, audience: dpo.oidcAudience, clientID: dpo.oidcClientId)
        let systemUserOrg = AltinnBrokerConfiguration.party(dpo.systemUserOrgId ?? org)
        let systemUser = AltinnSystemUser(organisationID: systemUserOrg,
                                          name: dpo.systemUserName ?? "\(org)_integrasjonspunkt_systembruker_\(org)")
        let altinn = AltinnTokenExchange(exchangeURL: dpo.altinnTokenExchangeURL, maskinporten: maskinporten,
                                         systemUser: systemUser, httpClient: context.httpClient)
        var brokerConfiguration = AltinnBrokerConfiguration(brokerServiceURL: dpo.brokerserviceURL, organisationNumber: org)
        if let resource = dpo.resource { brokerConfiguration.resourceID = resource }
        let broker = AltinnBrokerClient(configuration: brokerConfiguration, httpClient: context.httpClient, tokens: altinn)
        return DPOTransport(broker: broker, temporaryDirectory: try context.temporaryDirectory("dpo"),
                            messageChannel: dpo.messageChannel, logger: context.logger)
    }
}
