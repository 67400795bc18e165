import Channels
import Engine
import Foundation
import IPConfiguration
import Logging
import Model
import Operations
import Packaging
import Storage

/// The engine's pieces for one integration point, built from the configuration: storage, identity, national
/// services, channels and the use cases that the HTTP API and the background services share.
struct EngineParts {
    let configuration: IntegrasjonspunktConfiguration
    let settings: EngineSettings
    let time: SystemTimeSource
    let logger: Logger
    let operations: OperationsWiring
    let identity: PrivateKeyAndCertificate
    let store: any MessageStore
    /// Set when PostgreSQL did not answer at start-up: the store keeps trying, and background jobs wait for it.
    let deferred: DeferredMessageStore?
    let payloads: PayloadVault
    let registrar: StatusRegistrar
    let outboxWakeUp = WakeUpSignal()
    let webhookWakeUp = WakeUpSignal()
    let pusher = HTTPWebhookPusher()
    let serviceRegistry: ServiceRegistryClient
    let registry: RegistryLookup
    let channels: ChannelDirectory
    /// The channels' health components (e.g. DPV's Altinn health probe).
    let channelHealth: [any HealthContributor]
    let archiveSystem: (any ArchiveSystemClient)?
    let outgoing: OutgoingMessageService
    let incoming: IncomingMessageService

    static func make(_ configuration: IntegrasjonspunktConfiguration, logger: Logger) async throws -> EngineParts {
        var settings = EngineSettings(configuration)
        let archiveSystem = NoarkExchangeWiring.archiveSystem(configuration, logger: logger)
        settings.deliversToArchiveSystem = archiveSystem != nil
        let time = SystemTimeSource()
        let operations = try await OperationsWiring.prepare(configuration, logger: logger)
        let identity = try OwnIdentity.load(configuration, now: time.now, logger: logger)
        let (store, payloadStore, deferred) = try await StorageWiring.open(configuration, logger: logger)
        let payloads = PayloadVault(store: payloadStore,
                                    cipher: PayloadCiphers.make(configuration, identity: identity, logger: logger),
                                    containerCipher: CMSPayloadCipher(identity: identity))
        let workDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let serviceRegistry = NationalServices.registry(configuration, identity: identity)
        let context = ChannelContext(configuration: configuration, identity: identity, registry: serviceRegistry,
                                     httpClient: .shared, time: time, workDirectory: workDirectory, logger: logger)
        let channels: (directory: ChannelDirectory, health: [any HealthContributor])
        do {
            channels = try ChannelCatalog.build(context)
        } catch let error as StartupError {
            throw error
        } catch {
            throw StartupError("A channel could not be set up: \(error)")
        }
        return EngineParts(configuration: configuration, settings: settings, time: time, logger: logger,
                           operations: operations, identity: identity, store: store, deferred: deferred,
                           payloads: payloads, registrar: StatusRegistrar(settings: settings, logger: logger),
                           serviceRegistry: serviceRegistry, channels: channels.directory,
                           channelHealth: channels.health, archiveSystem: archiveSystem,
                           workDirectory: workDirectory)
    }

    private init(configuration: IntegrasjonspunktConfiguration, settings: EngineSettings, time: SystemTimeSource,
                 logger: Logger, operations: OperationsWiring, identity: PrivateKeyAndCertificate,
                 store: any MessageStore, deferred: DeferredMessageStore?, payloads: PayloadVault,
                 registrar: StatusRegistrar, serviceRegistry: ServiceRegistryClient, channels: ChannelDirectory,
                 channelHealth: [any HealthContributor], archiveSystem: (any ArchiveSystemClient)?, workDirectory: URL) {
        (self.configuration, self.settings, self.time, self.logger) = (configuration, settings, time, logger)
        (self.operations, self.identity, self.store, self.deferred) = (operations, identity, store, deferred)
        (self.payloads, self.registrar, self.serviceRegistry) = (payloads, registrar, serviceRegistry)
        registry = RegistryLookup(registry: serviceRegistry)
        (self.channels, self.channelHealth, self.archiveSystem) = (channels, channelHealth, archiveSystem)
        outgoing = OutgoingMessageService(
            store: store, payloads: payloads, registry: registry, registrar: registrar, settings: settings,
            time: time, wakeUp: outboxWakeUp, logger: logger, certificateCheck: OwnIdentity.check(identity, time: time),
            channels: channels)
        incoming = IncomingMessageService(
            store: store, payloads: payloads, registrar: registrar, settings: settings, time: time,
            wakeUp: outboxWakeUp, logger: logger,
            containerCheck: AsicContainerCheck(temporaryDirectory: workDirectory.appendingPathComponent("tmp/check")))
    }
}
