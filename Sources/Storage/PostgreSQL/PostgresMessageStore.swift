import Foundation
import Logging

/// The store on a PostgreSQL server, shared by any number of integration point instances.
///
/// Each transaction holds one pooled connection on a thread of its own (see `PostgresConnections`); writes run
/// in `READ COMMITTED`, reads in a `REPEATABLE READ READ ONLY` snapshot (a read of one statement without a
/// transaction: see `PostgresConnections.read`). Work that several instances may reach for
/// at once (outbox jobs, webhook deliveries, peeking incoming messages) is claimed with
/// `SELECT … FOR UPDATE SKIP LOCKED`, so each row goes to exactly one instance.
public final class PostgresMessageStore: MessageStore {
    public let configuration: PostgresStoreConfiguration
    let connections: PostgresConnections

    /// Connects, and migrates the schema (under an advisory lock).
    ///
    /// - Throws: `StoreError.database` saying where it tried to connect and what to check.
    public init(configuration: PostgresStoreConfiguration,
                logger: Logger = Logger(label: "integrasjonspunkt.storage.postgres")) async throws {
        self.configuration = configuration
        connections = PostgresConnections(configuration: configuration, logger: logger)
        try await connections.withConnection { session in
            try PostgresSchema.migrate(session, schema: configuration.schema)
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await connections.transaction(readOnly: false) { session in try body(PostgresTransaction(session)) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await connections.read { session in try body(PostgresTransaction(session)) }
    }

    /// Runs `body`, which makes exactly one statement, without `BEGIN` and `COMMIT` (autocommit).
    public func writeSingleStatement<T: Sendable>(
        _ body: @escaping @Sendable (any StoreTransaction) throws -> T
    ) async throws -> T {
        try await connections.withConnection { session in
            let value = try body(PostgresTransaction(session))
            assert(session.statementsRun == 1, "a single statement made \(session.statementsRun)")
            return value
        }
    }

    public func ping() async -> Bool {
        await healthProblem() == nil
    }

    public func healthProblem() async -> String? {
        do {
            _ = try await connections.withConnection { session in try session.integer("SELECT 1") }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The migrations applied to this database, in the order they ran.
    public func appliedMigrations() async throws -> [String] {
        try await connections.withConnection { session in
            try session.rows("SELECT name FROM schema_migration").map { try $0.string("name") }
        }.sorted { (PostgresSchema.migrationNames.firstIndex(of: $0) ?? .max)
            < (PostgresSchema.migrationNames.firstIndex(of: $1) ?? .max) }
    }
}
