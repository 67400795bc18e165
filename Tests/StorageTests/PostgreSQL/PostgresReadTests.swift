import Foundation
@testable import Storage
import Synchronization
import Testing

/// Reads run first without a transaction and start over in one when they make a second statement.
@Suite("PostgreSQL: reads of one statement without a transaction", .enabled(if: PostgresTestDatabase.isRequested))
struct PostgresReadTests {
    /// A read's transaction is `READ ONLY`; a statement in autocommit runs in a read-write one of its own.
    private static let inItsOwnTransaction = "SELECT current_setting('transaction_read_only') = 'off' AS alone"

    private static func alone(_ tx: any StoreTransaction) throws -> Bool {
        guard let session = (tx as? PostgresTransaction)?.session,
              let row = try session.row(inItsOwnTransaction) else { throw StoreError.database("no answer") }
        return try row.bool("alone")
    }

    @Test func aReadOfOneStatementRunsWithoutATransaction() async throws {
        let store = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(poolSize: 1))
        #expect(try await store.read { tx in try Self.alone(tx) })
    }

    @Test func aReadOfTwoStatementsStartsOverInOneTransaction() async throws {
        let store = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(poolSize: 1))
        let passes = Mutex(0)
        let answers = try await store.read { tx in
            passes.withLock { $0 += 1 }
            let first = try Self.alone(tx)
            // A body that swallows the refused second statement is run again all the same.
            let second = try? Self.alone(tx)
            return [first, second]
        }
        #expect(answers == [false, false])
        #expect(passes.withLock { $0 } == 2)
    }

    @Test func theStatementsOfOneReadSeeOneSnapshot() async throws {
        let schema = PostgresTestDatabase.newSchemaName()
        let store = try await PostgresMessageStore(
            configuration: PostgresTestDatabase.configuration(schema: schema, poolSize: 1))
        let other = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        let job = OutboxJob(kind: .sendMessage, messageId: Fixture.messageId(1), createdAt: Clock.at(0),
                            nextAttemptAt: Clock.at(0))
        _ = try await store.write { tx in try tx.insertJob(job) }
        // Another instance adds a job between the two counts, on every pass: the counts agree all the same.
        let counts = try await store.read { tx in
            let before = try tx.countJobs()
            try other.connections.blocking { session in
                _ = try PostgresTransaction(session).insertJob(job)
            }
            return [before, try tx.countJobs()]
        }
        #expect(counts[0] == counts[1])
        #expect(counts[0] >= 2)
    }

    @Test func aFailedFirstStatementIsTheReadsError() async throws {
        let store = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(poolSize: 1))
        await #expect(throws: StoreError.self) {
            try await store.read { tx in try (tx as? PostgresTransaction)?.session.row("SELECT * FROM no_such_table") }
        }
        // The connection is fine afterwards, for a read of one statement as of two.
        #expect(try await store.read { tx in try tx.countJobs() } == 0)
        #expect(try await store.read { tx in [try tx.countJobs(), try tx.countJobs()] } == [0, 0])
    }
}
