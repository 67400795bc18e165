import Foundation
@testable import Storage
import Testing

@Suite("SQLite: schema, migrations and durability settings")
struct SQLiteSchemaTests {
    static let migrations = ["v1-messages", "v2-conversations", "v3-outbox", "v4-webhooks", "v5-payloads",
                              "v6-status-polling"]

    @Test func migrationsAreOrderedNamedStepsAllAppliedToANewDatabase() throws {
        #expect(StoreSchema.migrationNames == Self.migrations)
        let store = try SQLiteMessageStore.temporary()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: store.path).deletingLastPathComponent().path) }
        #expect(try store.appliedMigrations() == Self.migrations)
    }

    @Test func theSchemaHasEveryTableAndIndex() throws {
        let store = try SQLiteMessageStore.inTestFolder()
        let tables = Set(try store.texts("SELECT name FROM sqlite_master WHERE type = 'table'"))
        for table in ["outgoing_message", "message_file", "incoming_message", "conversation", "message_status",
                      "status_queue", "outbox_job", "webhook_subscription", "webhook_delivery", "payload",
                      "payload_chunk"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        let indexes = Set(try store.texts("SELECT name FROM sqlite_master WHERE type = 'index'"))
        for index in ["outbox_job_next_attempt_at", "webhook_delivery_next_attempt_at", "incoming_message_peek",
                      "conversation_last_update", "conversation_expiry", "message_status_conv_id",
                      "payload_complete"] {
            #expect(indexes.contains(index), "missing index \(index)")
        }
        let outboxColumns = try store.texts("SELECT name FROM pragma_table_info('outbox_job')")
        #expect(outboxColumns == ["id", "kind", "message_id", "payload", "attempts", "created_at", "next_attempt_at",
                                  "lease_owner", "lease_until", "last_error"])
        let conversationUnique = try store.texts("""
            SELECT group_concat(ii.name) FROM pragma_index_list('conversation') il,
                pragma_index_info(il.name) ii WHERE il."unique" = 1 AND il.origin = 'u' GROUP BY il.name
            """)
        #expect(conversationUnique == ["message_id,direction"])
        let statusUnique = try store.texts("""
            SELECT group_concat(ii.name) FROM pragma_index_list('message_status') il,
                pragma_index_info(il.name) ii WHERE il."unique" = 1 AND il.origin = 'u' GROUP BY il.name
            """)
        #expect(statusUnique == ["conv_id,status"])
    }

    @Test func commitsAreDurable() throws {
        let store = try SQLiteMessageStore.inTestFolder()
        #expect(try store.writerTexts("PRAGMA journal_mode") == ["wal"])
        #expect(try store.writerTexts("PRAGMA synchronous") == ["2"])  // FULL
        #expect(try store.writerTexts("PRAGMA foreign_keys") == ["1"])
        #expect(try store.texts("PRAGMA busy_timeout") != ["0"])
    }

    @Test func openingAnExistingDatabaseAgainKeepsItsDataAndMigratesNothing() async throws {
        let folder = TestFolder.make("reopen").appendingPathComponent("nested/deeper")
        let path = folder.appendingPathComponent("ip.sqlite").path
        do {
            let store = try SQLiteMessageStore(path: path)
            try await store.write { try $0.insertOutgoing(Fixture.outgoing(1)) }
        }
        let second = try SQLiteMessageStore(path: path)
        let third = try SQLiteMessageStore(path: path)  // two open at once, as during a rolling restart
        #expect(try second.appliedMigrations() == Self.migrations)
        #expect(try await third.read { try $0.outgoing(messageId: Fixture.messageId(1)) } == Fixture.outgoing(1))
        try await second.write { try $0.insertOutgoing(Fixture.outgoing(2)) }
        #expect(try await third.read { try $0.countMessages(direction: .OUTGOING) } == 2)
    }

    @Test func aFileThatIsNotADatabaseIsReportedWithItsPath() throws {
        let folder = TestFolder.make("not-a-db")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("ip.sqlite").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteMessageStore(path: path)
        } throws: { error in
            guard case let StoreError.database(text) = error else { return false }
            return text.contains(path)
        }
    }

    @Test func enumsAreStoredByNameAndInstantsAsMicroseconds() async throws {
        let store = try SQLiteMessageStore.inTestFolder()
        try await store.write { tx in
            try tx.insertOutgoing(Fixture.outgoing(1, service: .DPV))
            let id = try tx.insertConversation(Fixture.conversation(1, direction: .INCOMING, service: .DPE, at: 0))
            _ = try tx.appendStatus(conversationId: id, status: .INNKOMMENDE_MOTTATT, description: nil,
                                    rawReceipt: nil, at: Clock.at(0))
            _ = try tx.insertJob(OutboxJob(kind: .sendStatus, messageId: "m", createdAt: Clock.at(0),
                                           nextAttemptAt: Clock.at(0)))
        }
        #expect(try store.texts("SELECT service_identifier || ' ' || state FROM outgoing_message") == ["DPV created"])
        #expect(try store.texts("SELECT direction || ' ' || service_identifier FROM conversation") == ["INCOMING DPE"])
        #expect(try store.texts("SELECT status FROM message_status") == ["INNKOMMENDE_MOTTATT"])
        #expect(try store.texts("SELECT kind FROM outbox_job") == ["sendStatus"])
        #expect(try store.texts("SELECT last_update FROM conversation") == [String(Clock.base)])
    }

    @Test func hotQueriesUseIndexes() throws {
        let store = try SQLiteMessageStore.inTestFolder()
        let checks: [(String, String)] = [
            ("SELECT id FROM outbox_job WHERE next_attempt_at <= 1 AND (lease_until IS NULL OR lease_until <= 1) "
                + "ORDER BY next_attempt_at, id LIMIT 5", "outbox_job_next_attempt_at"),
            ("SELECT id FROM webhook_delivery WHERE next_attempt_at <= 1 ORDER BY next_attempt_at, id LIMIT 5",
             "webhook_delivery_next_attempt_at"),
            ("SELECT id FROM incoming_message WHERE (lock_timeout IS NULL OR lock_timeout <= 1) "
                + "ORDER BY last_updated, id LIMIT 1", "incoming_message_peek"),
            ("SELECT * FROM conversation WHERE finished = 0 AND expiry < 5 ORDER BY expiry, id LIMIT 10",
             "conversation_expiry"),
            ("SELECT * FROM message_status s WHERE s.conv_id IN (1, 2) ORDER BY s.id", "message_status_conv_id"),
            ("SELECT * FROM conversation WHERE message_id = 'x' AND direction = 'OUTGOING'", "sqlite_autoindex"),
            ("SELECT * FROM outbox_job WHERE message_id = 'x' ORDER BY id", "outbox_job_message_id"),
        ]
        for (sql, index) in checks {
            let detail = try store.planDetails(sql).joined(separator: "; ")
            #expect(detail.contains(index), "\(sql) → \(detail)")
        }
    }
}
