import Foundation
@testable import Storage
import Testing

/// A young database's tables are analysed as they fill, so that the look-ups stop scanning them row by row.
@Suite("PostgreSQL: the tables of a young database analysed as it fills", .enabled(if: PostgresTestDatabase.isRequested))
struct PostgresStatisticsTests {
    private static func analyses(_ store: PostgresMessageStore, _ schema: String) async throws -> Int64 {
        try await store.connections.withConnection { session in
            try session.integer("SELECT analyze_count FROM pg_stat_user_tables WHERE schemaname = ? AND relname = 'conversation'",
                                [schema]) ?? 0
        }
    }

    /// The plan a prepared look-up of a conversation by message id runs with on the store's one connection: the
    /// generic plan, which PostgreSQL keeps until the table is analysed again, whatever rows come meanwhile.
    private static func lookUpPlan(_ store: PostgresMessageStore, prepare: Bool = false) async throws -> String {
        try await store.connections.withConnection { session in
            if prepare {
                _ = try session.unprepared("SET plan_cache_mode = force_generic_plan")
                _ = try session.unprepared("""
                    PREPARE look_up(text) AS SELECT c.id, s.status FROM conversation c
                    LEFT JOIN message_status s ON s.conv_id = c.id WHERE c.message_id = $1 AND c.direction = 'OUTGOING'
                    """)
            }
            return try session.unprepared("EXPLAIN EXECUTE look_up('x')")
                .rows.compactMap { try? $0.decode(String.self) }.joined(separator: "\n")
        }
    }

    private static func waitForAnalyses(_ wanted: Int64, _ store: PostgresMessageStore, _ schema: String) async throws -> Int64 {
        var seen = try await analyses(store, schema)
        for _ in 0..<100 where seen < wanted {
            try await Task.sleep(for: .milliseconds(100))
            seen = try await analyses(store, schema)
        }
        return seen
    }

    /// As in the benchmark: autovacuum's first visit finds a table of one row, and the plans made then scan it
    /// row by row for as long as they are kept. The store's own analysis after its first conversations replaces them.
    @Test func analysedAfterTheFirstConversations() async throws {
        let schema = PostgresTestDatabase.newSchemaName()
        let store = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema, poolSize: 1))
        _ = try await store.write { try $0.insertConversation(Fixture.conversation(1)) }
        try await store.connections.withConnection { session in
            // Autovacuum kept out of this test's tables, whose plans it would otherwise replace at a time of its own.
            for table in ["conversation", "message_status"] {
                _ = try session.unprepared("ALTER TABLE \(table) SET (autovacuum_enabled = off)")
            }
            _ = try session.unprepared("ANALYZE conversation, message_status")
        }
        let early = try await Self.waitForAnalyses(1, store, schema)
        #expect(try await Self.lookUpPlan(store, prepare: true).contains("Seq Scan on conversation"))
        for n in 2..<PostgresStatisticsWarmUp.thresholds[0] {
            _ = try await store.write { try $0.insertConversation(Fixture.conversation(n)) }
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await Self.analyses(store, schema) == early)
        _ = try await store.write { try $0.insertConversation(Fixture.conversation(PostgresStatisticsWarmUp.thresholds[0])) }
        #expect(try await Self.waitForAnalyses(early + 1, store, schema) == early + 1)
        let plan = try await Self.lookUpPlan(store)
        #expect(plan.contains("Index Scan using conversation_message_id_direction_key"), "\(plan)")
    }

    @Test func aDatabaseWithItsStatisticsIsLeftToAutovacuum() async throws {
        let schema = PostgresTestDatabase.newSchemaName()
        let seed = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        // Filled and analysed before this process starts (not through `write`, which would count them).
        try await seed.connections.withConnection { session in
            let tx = PostgresTransaction(session)
            for n in 1...PostgresStatisticsWarmUp.thresholds[1] { _ = try tx.insertConversation(Fixture.conversation(n)) }
            _ = try session.unprepared("ANALYZE conversation")
        }
        let before = try await Self.waitForAnalyses(1, seed, schema)
        #expect(before >= 1)
        let store = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        for n in 1...PostgresStatisticsWarmUp.thresholds[0] {
            _ = try await store.write { try $0.insertConversation(Fixture.conversation(n, direction: .INCOMING)) }
        }
        try await Task.sleep(for: .milliseconds(1500))
        #expect(try await Self.analyses(store, schema) == before)
    }
}
