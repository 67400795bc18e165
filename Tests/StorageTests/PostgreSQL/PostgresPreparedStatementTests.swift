import Foundation
@testable import Storage
import Testing

@Suite("PostgreSQL: prepared statements", .enabled(if: PostgresTestDatabase.isRequested))
struct PostgresPreparedStatementTests {
    @Test func aStatementIsPreparedOnceOnAConnectionAndReusedAfterwards() async throws {
        let store = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(poolSize: 1))
        _ = try await store.write { tx in try tx.insertConversation(Fixture.conversation(1)) }
        for _ in 1...5 {
            let found = try await store.read { tx in
                try tx.conversation(messageId: Fixture.messageId(1), direction: .OUTGOING)
            }
            #expect(found?.conversationId == "conv-1")
        }
        // pg_prepared_statements lists the statements of the session asking, so this is the pool's one connection.
        let prepared = try await store.connections.withConnection { session in
            try session.rows("SELECT statement FROM pg_prepared_statements").map { try $0.string("statement") }
        }
        let lookups = prepared.filter { $0.contains("WHERE c.message_id = $1 AND c.direction = $2") }
        #expect(lookups.count == 1, "prepared: \(prepared)")
    }

    @Test func aNullFirstAndAValueLaterAreBoundAsTheirOwnTypes() async throws {
        let store = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(poolSize: 1))
        var withoutExpiry = Fixture.conversation(1)
        withoutExpiry.expiry = nil
        var withExpiry = Fixture.conversation(2)
        withExpiry.expiry = Clock.at(500)
        try await store.write { [withoutExpiry, withExpiry] tx in
            _ = try tx.insertConversation(withoutExpiry)
            _ = try tx.insertConversation(withExpiry)
        }
        let read = try await store.read { tx in
            try [1, 2].map { try tx.conversation(messageId: Fixture.messageId($0), direction: .OUTGOING)?.expiry }
        }
        #expect(read == [nil, Clock.at(500)])
    }

    @Test func aTableChangedUnderAPreparedStatementCostsOneTransactionNotTheConnection() async throws {
        let schema = PostgresTestDatabase.newSchemaName()
        let store = try await PostgresMessageStore(
            configuration: PostgresTestDatabase.configuration(schema: schema, poolSize: 1))
        let other = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        let id = try await store.write { tx in try tx.insertConversation(Fixture.conversation(1)) }
        #expect(try await store.read { tx in try tx.conversation(id: id) } != nil)
        // Another instance, newer, migrates: `SELECT *` now has a column more than the plan prepared above.
        try await other.connections.withConnection { session in
            try session.unprepared("ALTER TABLE conversation ADD COLUMN added_later TEXT")
        }
        // The first read after it fails ("cached plan must not change result type") as a passing unavailability
        // (the API answers 503, the outbox retries); the connection is dropped with its plans, so the next read
        // prepares anew.
        await #expect {
            try await store.read { tx in try tx.conversation(id: id) }
        } throws: { error in
            guard case StoreError.unavailable(let reason) = error else { return false }
            return reason.contains("cached plan") && reason.contains("try again")
        }
        let again = try await store.read { tx in try tx.conversation(id: id) }
        #expect(again?.conversationId == "conv-1")
    }
}
