import Foundation
@testable import Storage
import Testing

/// The store's sessions follow indexes even where the planner, left to itself, would read a small table row by row.
@Suite("PostgreSQL: the store's sessions look rows up by index", .enabled(if: PostgresTestDatabase.isRequested))
struct PostgresSessionSettingsTests {
    /// The generic plan of a conversation's look-up by message id, as a prepared statement keeps it.
    private static func lookUpPlan(_ session: PostgresSession, name: String) throws -> String {
        _ = try session.unprepared("SET plan_cache_mode = force_generic_plan")
        _ = try session.unprepared("""
            PREPARE \(name)(text) AS SELECT c.id, s.status FROM conversation c
            LEFT JOIN message_status s ON s.conv_id = c.id WHERE c.message_id = $1 AND c.direction = 'OUTGOING'
            """)
        return try session.unprepared("EXPLAIN EXECUTE \(name)('x')")
            .rows.compactMap { try? $0.decode(String.self) }.joined(separator: "\n")
    }

    /// As autovacuum leaves a new database: its tables analysed after their first 50 rows (its threshold), a few
    /// pages. A session with the server's defaults plans a sequential scan then, and keeps the plan however large
    /// the table grows; the store's session plans the look-up by the unique index.
    @Test func aLookUpFollowsTheIndexOfASmallTable() async throws {
        let schema = PostgresTestDatabase.newSchemaName()
        let store = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema, poolSize: 1))
        _ = try await store.write { tx in
            for n in 1...60 { _ = try tx.insertConversation(Fixture.conversation(n)) }
        }
        let (setting, plan, planByDefault, unindexed) = try await store.connections.withConnection { session in
            _ = try session.unprepared("ANALYZE conversation, message_status")
            let setting = try session.row("SHOW enable_seqscan")?.string("enable_seqscan")
            let plan = try Self.lookUpPlan(session, name: "store_look_up")
            _ = try session.unprepared("SET enable_seqscan = on")
            let planByDefault = try Self.lookUpPlan(session, name: "default_look_up")
            _ = try session.unprepared(PostgresConnections.sessionSettings)
            // A statement with no index to follow still runs, scanning.
            let unindexed = try session.integer("SELECT count(*) FROM conversation WHERE message_title = ?", [""])
            return (setting, plan, planByDefault, unindexed)
        }
        #expect(setting == "off")
        #expect(plan.contains("Index Scan using conversation_message_id_direction_key"), "\(plan)")
        #expect(!plan.contains("Seq Scan"), "\(plan)")
        #expect(planByDefault.contains("Seq Scan on conversation"), "\(planByDefault)")
        #expect(unindexed == 60)
    }
}
