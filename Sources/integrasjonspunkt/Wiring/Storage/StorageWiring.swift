import Foundation
import IPConfiguration
import Logging
import Storage

/// Opens the store `difi.datasource.url` names, with the payload store beside it.
enum StorageWiring {
    /// The store, its payload store, and — when PostgreSQL did not answer at start-up — the deferred store that
    /// keeps trying (`DatabaseConnector` runs it).
    static func open(_ configuration: IntegrasjonspunktConfiguration, logger: Logger) async throws
        -> (any MessageStore, any PayloadStore, DeferredMessageStore?) {
        switch configuration.datasource.database {
        case .sqlite(let path):
            let store: SQLiteMessageStore
            do {
                store = try SQLiteMessageStore(path: path)
            } catch {
                throw StartupError("Cannot open the database \(path): \(error). Check that the working folder is writable (difi.datasource.url).")
            }
            if configuration.nextmove.useDbPersistence {
                return (store, try DatabasePayloadStore(store: store), nil)
            }
            let root = URL(fileURLWithPath: configuration.nextmove.filedir,
                           relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            return (store, try FilePayloadStore(root: root), nil)
        case .postgreSQL(let url):
            return try await openPostgres(url: url, configuration, logger: logger)
        }
    }

    /// Metadata, outbox and payloads all live in PostgreSQL, so every instance can serve every message. A server
    /// that does not answer does not stop the start: the integration point reports DOWN and keeps trying.
    private static func openPostgres(url: String, _ configuration: IntegrasjonspunktConfiguration,
                                     logger: Logger) async throws -> (any MessageStore, any PayloadStore, DeferredMessageStore?) {
        let settings: PostgresStoreConfiguration
        do {
            settings = try PostgresStoreConfiguration(url: url, username: configuration.datasource.username,
                                                      password: configuration.datasource.password)
        } catch {
            throw StartupError("Cannot use the PostgreSQL database of difi.datasource.url: \(error)")
        }
        let deferred = DeferredMessageStore(name: "PostgreSQL at \(settings.location)") {
            let store = try await PostgresMessageStore(configuration: settings, logger: logger)
            return (store, try await PostgresPayloadStore(store: store))
        }
        if let reason = await deferred.tryOpen() {
            logger.error("Cannot use PostgreSQL at \(settings.location) (difi.datasource.url): \(reason) Starting anyway: /manage/health reports the database DOWN, and the integration point keeps trying.")
            return (deferred, deferred.payloadStore, deferred)
        }
        logger.info("Storing in PostgreSQL at \(settings.location)")
        guard let (store, payloads) = deferred.opened else { throw StartupError("PostgreSQL store lost after opening") }
        return (store, payloads, nil)
    }
}
