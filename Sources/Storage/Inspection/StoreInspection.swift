import Foundation
import GRDB
import Logging

/// What `integrasjonspunkt doctor` sees in a store without changing it: the migrations applied against the ones
/// this build knows, and how much it holds. Opening a store would migrate it; inspecting never does.
public struct StoreInspection: Sendable, Equatable {
    /// The migrations the database has, in the order they ran.
    public var applied: [String]
    /// The migrations this build knows, in order.
    public var known: [String]
    /// Outgoing and incoming messages and outbox jobs, when the tables exist.
    public var outgoing: Int?
    public var incoming: Int?
    public var jobs: Int?

    /// Migrations the next start applies.
    public var pending: [String] { known.filter { !applied.contains($0) } }
    /// Migrations this build does not know: the database was used by a newer version.
    public var unknown: [String] { applied.filter { !known.contains($0) } }

    /// Reads the embedded database at `path` read-only.
    public static func sqlite(path: String) throws -> StoreInspection {
        var configuration = Configuration()
        configuration.readonly = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw StoreError.database("cannot open \(path): \(error.message ?? error.description)")
        }
        return try queue.read { db in
            var applied: [String] = []
            if try db.tableExists("grdb_migrations") {
                applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            }
            var inspection = StoreInspection(applied: applied, known: StoreSchema.migrationNames)
            if try db.tableExists("outbox_job") {
                inspection.outgoing = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outgoing_message")
                inspection.incoming = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incoming_message")
                inspection.jobs = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox_job")
            }
            return inspection
        }
    }

    /// Connects to the PostgreSQL database (which checks that it is reachable and takes the credentials) and
    /// reads its migrations and counts.
    ///
    /// - Throws: `StoreError.unavailable` when the server cannot be reached, `StoreError.database` when it
    ///   refuses the user or has no such database — each with what to check.
    public static func postgres(_ configuration: PostgresStoreConfiguration,
                                logger: Logger = Logger(label: "integrasjonspunkt.doctor")) async throws -> StoreInspection {
        var single = configuration
        single.poolSize = 1
        let connections = PostgresConnections(configuration: single, logger: logger)
        return try await connections.withConnection { session in
            let present = { (table: String) throws -> Bool in
                try session.integer("SELECT CASE WHEN to_regclass(?) IS NULL THEN 0 ELSE 1 END", [table]) == 1
            }
            var applied: [String] = []
            if try present("schema_migration") {
                applied = try session.rows("SELECT name FROM schema_migration ORDER BY applied_at, name")
                    .map { try $0.string("name") }
            }
            var inspection = StoreInspection(applied: applied, known: PostgresSchema.migrationNames)
            if try present("outbox_job") {
                inspection.outgoing = Int(try session.integer("SELECT COUNT(*) FROM outgoing_message") ?? 0)
                inspection.incoming = Int(try session.integer("SELECT COUNT(*) FROM incoming_message") ?? 0)
                inspection.jobs = Int(try session.integer("SELECT COUNT(*) FROM outbox_job") ?? 0)
            }
            return inspection
        }
    }
}
