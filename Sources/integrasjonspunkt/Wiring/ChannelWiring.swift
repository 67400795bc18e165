import AsyncHTTPClient
import Channels
import Engine
import Foundation
import IPConfiguration
import Logging
import Model
import Packaging

/// How one channel is put together from the configuration: its sending side, its status source, its incoming
/// side and its health components. Each channel has a folder in `Wiring/` with one type conforming to this, and
/// one line in ``ChannelCatalog``; nothing else in the wiring or the engine names the channel.
protocol ChannelWiring {
    static var serviceIdentifier: ServiceIdentifier { get }
    /// The channel's parts; nil when the channel is switched off. Throws ``StartupError`` when it cannot be built.
    static func make(_ context: ChannelContext) throws -> ChannelParts?
}

/// What a channel's wiring may use: the configuration, the own identity, the service registry, HTTP, time.
struct ChannelContext: Sendable {
    let configuration: IntegrasjonspunktConfiguration
    let identity: PrivateKeyAndCertificate
    let registry: ServiceRegistryClient
    let httpClient: HTTPClient
    let time: any TimeSource
    let workDirectory: URL
    let logger: Logger

    var organisationNumber: String { configuration.org.number }

    /// A Maskinporten client signing grants with the organisation's keystore.
    func maskinporten(url: String, audience: String, clientID: String) -> MaskinportenClient {
        MaskinportenClient(configuration: MaskinportenConfiguration(tokenURL: url, audience: audience,
                                                                    organisationNumber: organisationNumber,
                                                                    clientID: clientID, keystore: identity),
                           httpClient: httpClient)
    }

    /// A folder under the working folder for the channel's temporary files (0700), created when missing.
    func temporaryDirectory(_ name: String) throws -> URL {
        let folder = workDirectory.appendingPathComponent("tmp/\(name)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        return folder
    }

    /// When a channel's statuses are fetched: every `pollingRate` when the channel has its own rate configured
    /// (e.g. `difi.move.dpv.pollingrate`), else on `difi.move.nextmove.statusPollingCron` with the back-off.
    func statusSchedule(pollingRate: Duration?) -> PollSchedule {
        if let pollingRate { return .every(pollingRate.seconds) }
        return .cron(configuration.nextmove.statusPollingCron)
    }
}

/// One channel's parts.
struct ChannelParts: Sendable {
    var sender: (any MessageChannel)?
    var statusSource: ScheduledStatusSource?
    var incoming: [ScheduledIncomingChannel] = []
    var health: [any HealthContributor] = []
}

/// Every channel this build knows. Adding a channel is one line here.
enum ChannelCatalog {
    static let all: [any ChannelWiring.Type] = [
        DPOWiring.self,
        DPVWiring.self,
        DPEWiring.self,
        DPFWiring.self,
        DPIWiring.self,
    ]

    /// The enabled channels' parts, put together.
    static func build(_ context: ChannelContext) throws -> (directory: ChannelDirectory, health: [any HealthContributor]) {
        var senders: [any MessageChannel] = []
        var statusSources: [ScheduledStatusSource] = []
        var incoming: [ScheduledIncomingChannel] = []
        var health: [any HealthContributor] = []
        for wiring in all {
            guard let parts = try wiring.make(context) else { continue }
            if let sender = parts.sender { senders.append(sender) }
            if let source = parts.statusSource { statusSources.append(source) }
            incoming += parts.incoming
            health += parts.health
        }
        return (ChannelDirectory(senders, statusSources: statusSources, incoming: incoming), health)
    }
}
