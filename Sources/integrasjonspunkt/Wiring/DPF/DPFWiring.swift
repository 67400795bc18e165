import Channels
import Engine
import Foundation
import IPConfiguration
import Model
import Operations
import Packaging

/// DPF over KS Fiks (`difi.move.fiks.*`, `internals.md` §2.3, §6.10): SvarUt to send (`ws` or `rest`), SvarUt's
/// statuses on the status poller's schedule (`difi.move.nextmove.statusPollingCron`), and SvarInn polled every
/// `difi.move.fiks.pollingrate` when `difi.move.fiks.inn.enable`.
enum DPFWiring: ChannelWiring {
    static let serviceIdentifier = ServiceIdentifier.DPF

    static func make(_ context: ChannelContext) throws -> ChannelParts? {
        let configuration = context.configuration
        guard configuration.features.enableDPF else { return nil }
        let fiks = configuration.fiks
        let fiksIdentity = try fiksKeystore(context)
        let transport = svarUt(context, identity: fiksIdentity)
        let mapper = ForsendelseMapper(settings: .init(kryptert: fiks.kryptert, kunDigitalLevering: fiks.ut.kunDigitalLevering,
                                                       konteringskode: fiks.ut.konteringskode,
                                                       ekskluderesFraPrint: fiks.ut.ekskluderesFraPrint))
        let sender = SvarUtSender(transport: transport, mapper: mapper,
                                  forsendelseTypes: ForsendelseTypeCache(now: { context.time.now }),
                                  uploadSizeLimit: configuration.uploadSizeLimits.dpf,
                                  temporaryDirectory: try context.temporaryDirectory("dpf-out"))
        let status = DPFStatusSource(checker: SvarUtStatusChecker(transport: transport),
                                     organisationNumber: context.organisationNumber)
        var parts = ChannelParts(sender: DPFChannel(sender: sender, registry: context.registry),
                                 statusSource: ScheduledStatusSource(status, schedule: context.statusSchedule(pollingRate: nil)))
        if fiks.inn.enabled {
            parts.incoming.append(ScheduledIncomingChannel(DPFIncoming(receiver: try svarInn(context, fiksIdentity: fiksIdentity)),
                                                           interval: fiks.pollingRate.seconds))
        }
        return parts
    }

    /// `difi.move.fiks.keystore.*`, or the organisation's keystore when it is not set.
    static func fiksKeystore(_ context: ChannelContext) throws -> PrivateKeyAndCertificate {
        guard let keystore = context.configuration.fiks.keystore else { return context.identity }
        do {
            let identity = try KeystoreLoading.load(keystore)
            try identity.checkValidity(now: context.time.now)
            return identity
        } catch {
            throw StartupError("The keystore difi.move.fiks.keystore.path=\(keystore.path) cannot be used: \(error)")
        }
    }

    static func svarUt(_ context: ChannelContext, identity: PrivateKeyAndCertificate) -> any SvarUtTransport {
        let ut = context.configuration.fiks.ut
        let organisation = context.organisationNumber
        switch ut.type {
        case .ws:
            return SvarUtSOAPClient(endpointURL: ut.wsEndpointURL, credentials: FiksCredentialDirectory(configured: ut.credentials, onBehalfOf: ut.onBehalfOf, organisation: organisation),
                                    httpClient: context.httpClient)
        case .rest:
            let rest = ut.rest
            let maskinporten = MaskinportenClient(
                configuration: MaskinportenConfiguration(tokenURL: rest.maskinportenTokenURL, audience: rest.maskinportenAudience,
                                                         organisationNumber: organisation, clientID: rest.maskinportenClientId,
                                                         keystore: identity),
                httpClient: context.httpClient)
            let scopes = rest.maskinportenScopes
            return SvarUtRESTClient(endpointURL: rest.endpointURL, kontoId: rest.kontoId ?? "",
                                    integrasjonId: rest.integrasjonId ?? "", integrasjonPassord: rest.integrasjonPassord ?? "",
                                    organisations: Set([organisation] + ut.onBehalfOf.keys), httpClient: context.httpClient,
                                    tokens: { consumer in maskinporten.provider(scopes: scopes, consumerOrganization: consumer) },
                                    transferTimeout: .seconds(Int64(rest.idleTimeout.seconds)))
        }
    }

    static func svarInn(_ context: ChannelContext, fiksIdentity: PrivateKeyAndCertificate) throws -> SvarInnReceiver {
        let configuration = context.configuration
        let inn = configuration.fiks.inn
        let client = SvarInnClient(baseURL: inn.baseURL,
                                   credentials: FiksCredentialDirectory(configured: inn.credentials, onBehalfOf: inn.onBehalfOf,
                                                                          organisation: inn.organisationNumber),
                                   httpClient: context.httpClient, requestTimeout: .seconds(Int64(inn.readTimeout.seconds)))
        let sbd = SvarInnSBD(process: inn.process, documentType: inn.documentType,
                             fallbackSenderOrganisationNumber: inn.fallbackSenderOrganisationNumber,
                             timeToLiveHours: configuration.defaultTtlHours.dpf)
        return SvarInnReceiver(client: client, unpacker: SvarInnUnpacker(identity: fiksIdentity), sbdFactory: sbd,
                               signer: context.identity, recipientCertificateDER: context.identity.certificateDER,
                               temporaryDirectory: try context.temporaryDirectory("dpf-in"),
                               now: { context.time.now }, logger: context.logger)
    }
}
