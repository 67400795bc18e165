import Channels
import Engine
import Foundation
import IPConfiguration
import Model

/// DPV over Altinn 3 Correspondence through Digdir's proxy (`difi.move.dpv.*`, `internals.md` §2.2, §6.7): the
/// sending side uploads correspondences; the status source follows them on `difi.move.dpv.pollingrate`, or on
/// `difi.move.nextmove.statusPollingCron` with the back-off when that is not set. No incoming side.
enum DPVWiring: ChannelWiring {
    static let serviceIdentifier = ServiceIdentifier.DPV

    static func make(_ context: ChannelContext) throws -> ChannelParts? {
        let configuration = context.configuration
        guard configuration.features.enableDPV else { return nil }
        let dpv = configuration.dpv
        let maskinporten = context.maskinporten(url: dpv.oidcURL, audience: dpv.oidcAudience, clientID: dpv.oidcClientId)
        let tokens = AltinnTokenExchange(exchangeURL: dpv.altinnTokenExchangeURL, maskinporten: maskinporten,
                                         systemUser: nil, scopes: MaskinportenScopes.dpv, httpClient: context.httpClient)
        let client = AltinnCorrespondenceClient(serviceURL: dpv.correspondenceServiceURL, httpClient: context.httpClient,
                                                tokens: tokens)
        let settings = DPVSettings(
            notifyEmail: dpv.notifyEmail, notifySms: dpv.notifySms, notificationText: dpv.notificationText,
            sensitiveNotificationText: dpv.sensitiveNotificationText, emailSubject: dpv.emailSubject,
            daysToReply: dpv.daysToReply, enableDueDate: dpv.enableDueDate, sensitiveResource: dpv.sensitiveResource)
        let logger = context.logger
        let sender = DPVChannel(
            sender: DPVSender(client: client, registry: context.registry,
                              builder: CorrespondenceRequestBuilder(settings: settings),
                              organisationNumber: context.organisationNumber, logger: logger),
            time: context.time, logger: logger)
        var parts = ChannelParts(
            sender: sender,
            statusSource: ScheduledStatusSource(DPVStatusSource(client: client, logger: logger),
                                                schedule: context.statusSchedule(pollingRate: dpv.pollingRate)))
        if !dpv.healthCheckURL.isEmpty {
            let health = DPVHealth(url: dpv.healthCheckURL, httpClient: context.httpClient)
            health.checkAtStartup(logger: logger)
            parts.health.append(health)
        } else {
            logger.info("DPV: no connection check (difi.move.dpv.health-check-url is empty).")
        }
        return parts
    }
}
