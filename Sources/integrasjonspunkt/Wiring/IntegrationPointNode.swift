import Engine
import Foundation
import HTTPAPI
import Hummingbird
import IPConfiguration
import Logging
import Model
import Operations
import ServiceLifecycle
import Storage

/// One running integration point: storage, engine, background services and the HTTP API, wired from the
/// configuration. The executable only wires; behaviour lives in the modules.
struct IntegrationPointNode {
    let application: any ApplicationProtocol
    let logger: Logger

    static func assemble(_ configuration: IntegrasjonspunktConfiguration, logger: Logger) async throws -> IntegrationPointNode {
        var settings = EngineSettings(configuration)
        let archiveSystem = NoarkExchangeWiring.archiveSystem(configuration, logger: logger)
        settings.deliversToArchiveSystem = archiveSystem != nil
        let time = SystemTimeSource()
        let operations = try await OperationsWiring.prepare(configuration, logger: logger)
        let identity = try OwnIdentity.load(configuration, now: time.now, logger: logger)
        let (store, payloadStore, deferred) = try await StorageWiring.open(configuration, logger: logger)
        let cipher = PayloadCiphers.make(configuration, identity: identity, logger: logger)
        let payloads = PayloadVault(store: payloadStore, cipher: cipher,
                                    containerCipher: CMSPayloadCipher(identity: identity))
        let registrar = StatusRegistrar(settings: settings, logger: logger)
        let outboxWakeUp = WakeUpSignal()
        let webhookWakeUp = WakeUpSignal()
        let pusher = HTTPWebhookPusher()
        let workDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let national = try NationalServices.make(configuration, identity: identity, workDirectory: workDirectory,
                                                 logger: logger)
        let registry = RegistryLookup(registry: national.registry)
        var channelList: [any MessageChannel] = []
        if let dpo = national.dpo {
            channelList.append(DPOChannel(transport: dpo, registry: national.registry, identity: identity,
                                          spoolDirectory: workDirectory.appendingPathComponent("tmp/outgoing"), time: time))
        }
        let channels = ChannelDirectory(channelList)

        let outgoing = OutgoingMessageService(
            store: store, payloads: payloads, registry: registry, registrar: registrar, settings: settings,
            time: time, wakeUp: outboxWakeUp, logger: logger, certificateCheck: OwnIdentity.check(identity, time: time))
        let incoming = IncomingMessageService(
            store: store, payloads: payloads, registrar: registrar, settings: settings, time: time,
            wakeUp: outboxWakeUp, logger: logger,
            containerCheck: AsicContainerCheck(temporaryDirectory: workDirectory.appendingPathComponent("tmp/check")))
        var api = NextMoveAPI(
            outgoing: outgoing, incoming: incoming, statuses: StatusService(store: store),
            conversations: ConversationService(store: store),
            subscriptions: SubscriptionService(store: store, pusher: pusher, settings: settings, time: time),
            health: operations.health(store: store, identity: identity, time: time, retention: settings.statusRetention),
            info: operations.info(configuration),
            security: .init(enabled: configuration.security.enabled, username: configuration.security.userName ?? "",
                            password: configuration.security.userPassword ?? ""),
            time: time, capabilities: registry)

        api.prometheus = operations.prometheus(store: store, time: time)
        api.admin = operations.adminPages(configuration, identity: identity, time: time)
        api.noarkExchange = NoarkExchangeWiring.endpoint(configuration, outgoing: outgoing, registry: registry,
                                                         settings: settings, time: time, logger: logger)
        let archiveDelivery = archiveSystem.map {
            ArchiveDelivery(store: store, payloads: payloads, registrar: registrar, incoming: incoming, client: $0,
                            settings: settings, time: time, logger: logger)
        }

        var background: [any Service] = [
            OutboxWorker(store: store, payloads: payloads, channels: channels, registrar: registrar,
                         settings: settings, time: time, logger: logger, wakeUp: outboxWakeUp,
                         archiveDelivery: archiveDelivery),
            ExpirySweeper(store: store, payloads: payloads, registrar: registrar, settings: settings, time: time,
                          logger: logger),
            WebhookDispatcher(store: store, pusher: pusher, settings: settings, time: time, logger: logger,
                              wakeUp: webhookWakeUp),
            RetentionSweeper(store: store, settings: settings, time: time, logger: logger),
        ]
        if let dpo = national.dpo {
            background.append(DPOPoller(transport: dpo, incoming: incoming, interval: configuration.dpo.pollingRate.seconds,
                                      logger: logger))
        }
        var services = operations.services
        if let deferred {
            // The database did not answer at start-up: serve /manage/health (DOWN) while connecting, and start the
            // background jobs once it answers.
            services.append(DatabaseConnector(store: deferred, logger: logger))
            services += background.map { AfterDatabaseReady(store: deferred, service: $0) }
        } else {
            services += background
        }
        let address = configuration.server.address
        let application = Application(
            router: api.router(),
            server: try APITransport.server(configuration, logger: logger),
            configuration: .init(address: .hostname(address, port: configuration.server.port),
                                 serverName: "integrasjonspunkt"),
            services: services,
            onServerRunning: { _ in
                let waiting = deferred.map { !$0.isReady } ?? false
                logger.info("Listening on \(address):\(configuration.server.port); \(waiting ? "waiting for the database" : "ready").")
            },
            logger: logger)
        return IntegrationPointNode(application: application, logger: logger)
    }

    func run() async throws {
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        logger.info("Stopped.")
    }
}
