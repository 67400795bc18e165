import Channels
import Engine
import Foundation
import IPConfiguration
import Model
import NIOCore
import Operations
import Packaging

/// DPI, digital post to citizens and print, over the corner-2 REST API (`difi.move.dpi.*`, `internals.md` §2.6):
/// letters go out on round-robin channels; statuses come from `messages/out/{id}/statuses` on
/// `difi.move.nextmove.statusPollingCron`; signed receipts from `messages/in` every `difi.move.dpi.pollingrate`.
enum DPIWiring: ChannelWiring {
    static let serviceIdentifier = ServiceIdentifier.DPI

    static func make(_ context: ChannelContext) throws -> ChannelParts? {
        let configuration = context.configuration
        guard configuration.features.enableDPI else { return nil }
        let dpi = configuration.dpi
        let transport = try transport(context)
        let krr = KRRPrintClient(url: dpi.krrPrintURL, httpClient: context.httpClient,
                                 timeout: .nanoseconds(Int64((dpi.connectTimeout + dpi.readTimeout).seconds * 1e9)))
        let sender = DPIChannel(transport: transport, registry: context.registry, printProviders: krr,
                                factory: DPIShipmentFactory(defaultLanguage: dpi.language),
                                spoolDirectory: try context.temporaryDirectory("dpi-outgoing"), time: context.time)
        var parts = ChannelParts(sender: sender,
                                 statusSource: ScheduledStatusSource(DPIStatusSource(transport: transport, logger: context.logger),
                                                                     schedule: context.statusSchedule(pollingRate: nil)))
        if configuration.features.enableReceipts {
            parts.incoming = [ScheduledIncomingChannel(DPIReceipts(transport: transport, time: context.time),
                                                       interval: dpi.pollingRate.seconds)]
        }
        return parts
    }

    /// The corner-2 transport of the configuration: the DPI keystore, the trust for receipts, the token source.
    static func transport(_ context: ChannelContext) throws -> DPITransport {
        let dpi = context.configuration.dpi
        let identity = try keystore(dpi.keystore, key: "difi.move.dpi.keystore", context: context)
        let tokens: any DPITokenSource
        if dpi.oidc.enabled {
            let client = MaskinportenClient(
                configuration: MaskinportenConfiguration(tokenURL: dpi.oidc.url, audience: dpi.oidc.audience,
                                                         organisationNumber: context.organisationNumber,
                                                         clientID: dpi.oidc.clientId,
                                                         keystore: try keystore(dpi.oidc.keystore, key: "difi.move.dpi.oidc.keystore", context: context)),
                httpClient: context.httpClient)
            tokens = MaskinportenDPITokens(client: client, scopes: dpi.oidc.scopes)
        } else {
            tokens = FixedDPIToken(dpi.oidc.mockToken ?? "")
        }
        let client = Corner2Client(configuration: .init(baseURL: dpi.uri, pageSize: dpi.pageSize,
                                                        timeout: .nanoseconds(Int64(dpi.readTimeout.seconds * 1e9))),
                                   httpClient: context.httpClient)
        let temporary = try dpi.temporaryFileDirectory.map { path -> URL in
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            return url
        } ?? context.temporaryDirectory("dpi")
        let packer = DPIMessagePacker(identity: identity, temporaryDirectory: temporary, memoryThreshold: dpi.temporaryFileThreshold)
        return DPITransport(client: client, packer: packer, tokens: tokens, channels: DPIChannels(dpi.channels),
                            trust: try trust(dpi), avsenderidentifikatorer: dpi.avsenderidentifikatorList,
                            pollWithoutAvsenderidentifikator: dpi.pollWithoutAvsenderidentifikator, logger: context.logger)
    }

    /// The organisation's identity when the DPI keystore is the organisation keystore (the default), else the
    /// keystore the DPI keys name.
    static func keystore(_ keystore: IntegrasjonspunktConfiguration.Keystore, key: String,
                         context: ChannelContext) throws -> PrivateKeyAndCertificate {
        if keystore == context.configuration.org.keystore { return context.identity }
        do {
            let identity = try KeystoreLoading.load(keystore)
            try identity.checkValidity(now: context.time.now)
            return identity
        } catch {
            throw StartupError("The keystore \(key).path=\(keystore.path) cannot be used: \(error) \(KeystoreLoading.remedy(for: error))")
        }
    }

    /// Who may sign receipts: `certificate.mode`'s authorities and those of `certificate.trusted-certificates`.
    static func trust(_ dpi: IntegrasjonspunktConfiguration.DPI) throws -> CertificateTrust {
        let mode: DPITrustAnchors.Mode = dpi.certificateMode == .production ? .production : .test
        do {
            let extra = try dpi.trustedCertificatesPath.map { try String(contentsOfFile: $0, encoding: .utf8) }
            return try DPITrustAnchors.trust(mode, additionalPEM: extra)
        } catch {
            throw StartupError("difi.move.dpi.certificate.trusted-certificates=\(dpi.trustedCertificatesPath ?? "") cannot be used: \(error) Give a PEM file with the root certificates of the receipts' signers.")
        }
    }
}
