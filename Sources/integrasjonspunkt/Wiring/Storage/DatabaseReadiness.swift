import Logging
import ServiceLifecycle
import Storage

/// Opens a store that was not reachable at start-up, retrying with back-off (`DeferredMessageStore`).
struct DatabaseConnector: Service {
    let store: DeferredMessageStore
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown { await store.openRetrying(logger: logger) }
        // A service that returns early stops the whole group: stay until the integration point stops.
        try? await gracefulShutdown()
    }
}

/// Starts `service` once the database is open; until then it waits (a background job has nothing to do without
/// its store, and would only fill the log with the same error).
struct AfterDatabaseReady: Service {
    let store: DeferredMessageStore
    let service: any Service

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await store.waitUntilReady() }
        } catch {
            return  // shut down before the database was ever reached
        }
        try await service.run()
    }
}
