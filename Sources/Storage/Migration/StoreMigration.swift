import Foundation
import GRDB
import Logging
import PostgresNIO

/// `integrasjonspunkt migrate-store`: copies an embedded store (the SQLite database and its payloads, in files or
/// in the database) into an empty PostgreSQL database, and checks that every row and payload arrived.
///
/// Rows keep their ids (status ids are visible in the API, and statuses refer to conversations by id), so the
/// PostgreSQL store continues exactly where the embedded one stopped. The row copy is one transaction: a failure
/// leaves no rows behind. Payloads are copied first, byte for byte — encrypted at rest stays encrypted, under the
/// same certificate. Run it while the integration point is stopped.
public enum StoreMigration {
    /// The tables copied, parents before children.
    static let tables = ["outgoing_message", "message_file", "incoming_message", "conversation", "message_status",
                         "status_queue", "outbox_job", "webhook_subscription", "webhook_delivery"]
    /// Columns that SQLite keeps as 0/1 and PostgreSQL as BOOLEAN.
    static let booleanColumns: Set<String> = ["primary_document", "finished", "pollable"]
    /// Rows per read from SQLite.
    static let batchSize = 500

    /// What was copied: rows per table and payloads, each as counted in the source and in the target afterwards.
    public struct Summary: Sendable, Equatable {
        public struct Count: Sendable, Equatable {
            public var name: String
            public var source: Int
            public var target: Int
        }

        public var counts: [Count]
        public var payloadBytes: Int64

        /// One line per table and the payloads: `name  source → target`.
        public var table: String {
            let width = counts.map(\.name.count).max() ?? 10
            return counts.map {
                $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  \($0.source) → \($0.target)"
            }.joined(separator: "\n")
        }
    }

    /// A reason not to migrate, or a migration that did not add up, told so an operator can act on it.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Copies the store at `databasePath` (with payload files under `payloadFolder`, when it exists, and payloads
    /// kept in the database) into the PostgreSQL database of `target`.
    public static func migrate(databasePath: String, payloadFolder: URL, to target: PostgresStoreConfiguration,
                               logger: Logger = Logger(label: "integrasjonspunkt.migrate-store"),
                               progress: @Sendable (String) -> Void = { _ in }) async throws -> Summary {
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw Problem("There is no embedded database at \(databasePath). Run migrate-store in the integration "
                + "point's working directory, or name the file with --database.")
        }
        let source = try SQLiteMessageStore(path: databasePath)
        let targetStore: PostgresMessageStore
        do {
            targetStore = try await PostgresMessageStore(configuration: target, logger: logger)
        } catch {
            throw Problem("Cannot use the target database: \(error)")
        }
        let occupied = try await targetCounts(targetStore).filter { $0.value > 0 }
        if !occupied.isEmpty {
            let list = occupied.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            throw Problem("The target database \(target.location) is not empty (\(list)); migrate-store copies "
                + "only into an empty database, so nothing is mixed or overwritten. Point --to at a new database "
                + "(CREATE DATABASE …), or empty this one if its contents are not needed.")
        }

        let payloads = try PayloadInventory(databasePath: databasePath, store: source, folder: payloadFolder)
        let targetPayloads = try await PostgresPayloadStore(store: targetStore)
        progress("Copying \(payloads.entries.count) payloads …")
        let bytes = try await payloads.copy(to: targetPayloads)
        progress("Copying the rows …")
        try await copyRows(from: source, to: targetStore)

        let sourceRows = try await sourceCounts(source)
        let targetRows = try await targetCounts(targetStore)
        var counts = tables.map { Summary.Count(name: $0, source: sourceRows[$0] ?? 0, target: targetRows[$0] ?? 0) }
        counts.append(Summary.Count(name: "payloads", source: payloads.entries.count,
                                    target: targetRows["payload"] ?? 0))
        let summary = Summary(counts: counts, payloadBytes: bytes)
        let wrong = counts.filter { $0.source != $0.target }
        if !wrong.isEmpty {
            throw Problem("The copy does not add up:\n\(summary.table)\nThe embedded store is unchanged; empty "
                + "the target database and run migrate-store again.")
        }
        return summary
    }

    static func sourceCounts(_ store: SQLiteMessageStore) async throws -> [String: Int] {
        try await store.pool.read { db in
            var counts: [String: Int] = [:]
            for table in tables { counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
            return counts
        }
    }

    static func targetCounts(_ store: PostgresMessageStore) async throws -> [String: Int] {
        try await store.connections.withConnection { session in
            var counts: [String: Int] = [:]
            for table in tables + ["payload"] {
                counts[table] = Int(try session.integer("SELECT COUNT(*) FROM \(table)") ?? 0)
            }
            return counts
        }
    }

    /// Every row of every table in one PostgreSQL transaction, ids kept; the id sequences continue after them.
    static func copyRows(from source: SQLiteMessageStore, to target: PostgresMessageStore) async throws {
        let pool = source.pool
        try await target.connections.transaction(readOnly: false) { session in
            for table in tables {
                var lastId: Int64 = 0
                while true {
                    let rows = try pool.read { db in
                        try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE id > ? ORDER BY id LIMIT ?",
                                         arguments: [lastId, batchSize])
                    }
                    for row in rows { try insert(row, into: table, session) }
                    guard let last = rows.last else { break }
                    lastId = last["id"]
                }
                try session.execute("""
                    SELECT setval(pg_get_serial_sequence('\(table)', 'id'), COALESCE(MAX(id), 0) + 1, false)
                    FROM \(table)
                    """)
            }
        }
    }

    /// One SQLite row as an INSERT with the same columns (plus `search_text` for conversations).
    static func insert(_ row: Row, into table: String, _ session: PostgresSession) throws {
        var columns: [String] = []
        var values: [any PostgresArgument] = []
        for (column, value) in row {
            columns.append(column)
            values.append(try argument(value, column: column, table: table))
        }
        if table == "outbox_job" || table == "webhook_delivery" {
            // The embedded instance is stopped: its leases mean nothing, and the jobs are due at once.
            if let index = columns.firstIndex(of: "lease_owner") { values[index] = String?.none }
            if let index = columns.firstIndex(of: "lease_until") { values[index] = Int64?.none }
        }
        if table == "conversation" {
            columns.append("search_text")
            values.append(PostgresTransaction.searchText(
                ["conversation_id", "message_id", "sender", "receiver", "message_reference", "message_title"]
                    .map { row[$0] as String? }))
        }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try session.execute("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))",
                            values)
    }

    static func argument(_ value: DatabaseValue, column: String, table: String) throws -> any PostgresArgument {
        switch value.storage {
        case .null:
            return String?.none
        case .int64(let number):
            return booleanColumns.contains(column) ? number != 0 : number
        case .string(let text):
            return text
        case .double(let number) where number == number.rounded():
            return Int64(number)
        case .double, .blob:
            throw Problem("\(table).\(column) holds a value of a kind the store never writes (\(value)); the "
                + "embedded database may be damaged. Run `integrasjonspunkt doctor`, or restore it from a backup.")
        }
    }
}
