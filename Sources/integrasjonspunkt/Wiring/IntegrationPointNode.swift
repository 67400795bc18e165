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
        let parts = try await EngineParts.make(configuration, logger: logger)
        let address = configuration.server.address
        let deferred = parts.deferred
        let application = Application(
            router: api(parts).router(),
            server: try APITransport.server(configuration, logger: logger),
            configuration: .init(address: .hostname(address, port: configuration.server.port),
                                 serverName: "integrasjonspunkt"),
            services: services(parts),
            onServerRunning: { _ in
                let waiting = deferred.map { !$0.isReady } ?? false
                logger.info("Listening on \(address):\(configuration.server.port); \(waiting ? "waiting for the database" : "ready").")
            },
            logger: logger)
        return IntegrationPointNode(application: application, logger: logger)
    }

    /// The HTTP face: the NextMove API, `/manage`, the admin pages and BEST/EDU.
    static func api(_ parts: EngineParts) -> NextMoveAPI {
        let (configuration, store, time) = (parts.configuration, parts.store, parts.time)
        var api = NextMoveAPI(
            outgoing: parts.outgoing, incoming: parts.incoming, statuses: StatusService(store: store),
            conversations: ConversationService(store: store),
            subscriptions: SubscriptionService(store: store, pusher: parts.pusher, settings: parts.settings, time: time),
            health: parts.operations.health(store: store, identity: parts.identity, time: time,
                                            retention: parts.settings.statusRetention, channels: parts.channelHealth),
            info: parts.operations.info(configuration),
            security: .init(enabled: configuration.security.enabled, username: configuration.security.userName ?? "",
                            password: configuration.security.userPassword ?? ""),
            time: time, capabilities: parts.registry)
        api.prometheus = parts.operations.prometheus(store: store, time: time)
        api.admin = parts.operations.adminPages(configuration, identity: parts.identity, time: time)
        api.noarkExchange = NoarkExchangeWiring.endpoint(configuration, outgoing: parts.outgoing, registry: parts.registry,
                                                         settings: parts.settings, time: time, logger: parts.logger)
        return api
    }

    /// The background services: the outbox, the sweepers, webhooks and the channel pollers, on threads
    /// `difi.move.queue.background-nice` steps nicer than the API's; with a database that did not answer at
    /// start-up, they wait for it while `/manage/health` reports DOWN.
    static func services(_ parts: EngineParts) -> [any Service] {
        let (store, payloads, registrar, settings, time, logger) =
            (parts.store, parts.payloads, parts.registrar, parts.settings, parts.time, parts.logger)
        let archiveDelivery = parts.archiveSystem.map {
            ArchiveDelivery(store: store, payloads: payloads, registrar: registrar, incoming: parts.incoming, client: $0,
                            settings: settings, time: time, logger: logger)
        }
        var background: [any Service] = [
            OutboxWorker(store: store, payloads: payloads, channels: parts.channels, registrar: registrar,
                         settings: settings, time: time, logger: logger, wakeUp: parts.outboxWakeUp,
                         archiveDelivery: archiveDelivery),
            ExpirySweeper(store: store, payloads: payloads, registrar: registrar, settings: settings, time: time,
                          logger: logger),
            WebhookDispatcher(store: store, pusher: parts.pusher, settings: settings, time: time, logger: logger,
                              wakeUp: parts.webhookWakeUp),
            RetentionSweeper(store: store, settings: settings, time: time, logger: logger),
        ]
        for scheduled in parts.channels.incoming {
            background.append(IncomingPoller(channel: scheduled.channel, incoming: parts.incoming,
                                             interval: scheduled.interval, logger: logger))
        }
        if !parts.channels.statusSources.isEmpty {
            background.append(StatusPoller(store: store, registrar: registrar, incoming: parts.incoming,
                                           sources: parts.channels.statusSources, settings: settings, time: time,
                                           logger: logger))
        }
        background = afterTheAPI(background, nice: parts.configuration.queue.backgroundNice, logger: logger)
        guard let deferred = parts.deferred else { return parts.operations.services + background }
        return parts.operations.services + [DatabaseConnector(store: deferred, logger: logger)]
            + background.map { AfterDatabaseReady(store: deferred, service: $0) }
    }

    /// The services on threads `nice` steps nicer than the API's (none when 0), said in the log.
    static func afterTheAPI(_ services: [any Service], nice: Int, logger: Logger) -> [any Service] {
        guard nice > 0 else {
            logger.info("Background work runs at the API's priority (difi.move.queue.background-nice=0).")
            return services
        }
        let executor = BackgroundExecutor(increment: Int32(nice))
        if executor.isLowered {
            logger.info("Background work runs at nice \(executor.niceness), after the API (difi.move.queue.background-nice=\(nice)).")
        } else {
            logger.warning("""
                The operating system did not let the background threads run at nice \(executor.niceness): the \
                outbox and the pollers compete with the API for the CPU. Allow setpriority(2) for the process, \
                or set difi.move.queue.background-nice=0 to silence this.
                """)
        }
        return services.map { InBackground($0, on: executor) }
    }

    func run() async throws {
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        logger.info("Stopped.")
    }
}
