import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode, written through one connection, read through a pool.
///
/// Durability: `synchronous = FULL` makes every acknowledged commit survive a power cut or `kill -9`
/// (WAL's default `NORMAL` may lose the last commits on power loss). Concurrent writers, in this process or
/// another, wait up to `busyTimeout` for the lock instead of failing. Writes that arrive while another commits
/// share the next commit (`SQLiteGroupCommit`), so a busy store pays one `fsync` for many transactions.
public final class SQLiteMessageStore: MessageStore {
    /// The database file.
    public let path: String
    let pool: DatabasePool
    private let groupCommit: SQLiteGroupCommit

    /// Opens (creating it and its parent folders when missing) the database at `path` and migrates it.
    public init(path: String, busyTimeout: TimeInterval = 10) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // Opening the pool switches the writer to WAL with `synchronous = NORMAL`; commits must be durable.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try StoreSchema.migrator.migrate(pool)
            groupCommit = SQLiteGroupCommit(pool: pool)
        } catch let error as DatabaseError {
            throw StoreError.database("cannot open \(path): \(error.message ?? error.description)")
        }
    }

    /// A store in a new folder under the system's temporary directory (for tests and the sandbox).
    public static func temporary() throws -> SQLiteMessageStore {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("integrasjonspunkt-store-\(UUID().uuidString)")
        return try SQLiteMessageStore(path: folder.appendingPathComponent("integrasjonspunkt.sqlite").path)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await translatingErrors {
            try await groupCommit.write { db in try body(SQLiteTransaction(db)) }
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await translatingErrors {
            try await pool.read { db in try body(SQLiteTransaction(db)) }
        }
    }

    public func ping() async -> Bool {
        (try? await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

}
