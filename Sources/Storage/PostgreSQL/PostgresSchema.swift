import Foundation

/// The database schema on PostgreSQL as ordered, named migrations: the SQLite schema (`StoreSchema`) translated.
/// Never edit a step that has shipped: add a new one.
///
/// Translation: `BIGSERIAL` ids; instants as `BIGINT` microseconds since 1970; enums as `TEXT` names; flags as
/// `BOOLEAN`; payload chunks as `BYTEA`. Text that lists sort or filter on is `COLLATE "C"`, so it sorts by code
/// point as SQLite's `BINARY` does, whatever the server's locale. `conversation.search_text` holds the searchable
/// columns lowercased by Swift, so the free-text filter folds all of Unicode whatever the server's locale.
///
/// Migrations run at start-up under an advisory lock, so instances starting together apply each step once.
enum PostgresSchema {
    struct Migration {
        let name: String
        let statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(name: "v1-messages", statements: [
            """
            CREATE TABLE outgoing_message (
                id BIGSERIAL PRIMARY KEY,
                message_id TEXT COLLATE "C" NOT NULL UNIQUE,
                conversation_id TEXT COLLATE "C" NOT NULL,
                process_identifier TEXT COLLATE "C",
                receiver_identifier TEXT COLLATE "C",
                sender_identifier TEXT COLLATE "C",
                service_identifier TEXT COLLATE "C" NOT NULL,
                sbd TEXT NOT NULL,
                state TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_updated BIGINT NOT NULL
            )
            """,
            "CREATE INDEX outgoing_message_conversation_id ON outgoing_message(conversation_id)",
            "CREATE INDEX outgoing_message_last_updated ON outgoing_message(last_updated)",
            """
            CREATE TABLE message_file (
                id BIGSERIAL PRIMARY KEY,
                message_id TEXT COLLATE "C" NOT NULL REFERENCES outgoing_message(message_id) ON DELETE CASCADE,
                payload_key TEXT COLLATE "C" NOT NULL,
                filename TEXT NOT NULL,
                title TEXT,
                mime_type TEXT NOT NULL,
                size BIGINT NOT NULL,
                dokumentnummer INTEGER NOT NULL,
                primary_document BOOLEAN NOT NULL,
                UNIQUE (message_id, payload_key)
            )
            """,
            "CREATE INDEX message_file_order ON message_file(message_id, dokumentnummer)",
            """
            CREATE TABLE incoming_message (
                id BIGSERIAL PRIMARY KEY,
                message_id TEXT COLLATE "C" NOT NULL UNIQUE,
                conversation_id TEXT COLLATE "C" NOT NULL,
                process_identifier TEXT COLLATE "C",
                receiver_identifier TEXT COLLATE "C",
                sender_identifier TEXT COLLATE "C",
                service_identifier TEXT COLLATE "C" NOT NULL,
                sbd TEXT NOT NULL,
                payload_key TEXT,
                last_updated BIGINT NOT NULL,
                lock_timeout BIGINT
            )
            """,
            "CREATE INDEX incoming_message_conversation_id ON incoming_message(conversation_id)",
            "CREATE INDEX incoming_message_peek ON incoming_message(last_updated, lock_timeout)",
        ]),
        Migration(name: "v2-conversations", statements: [
            """
            CREATE TABLE conversation (
                id BIGSERIAL PRIMARY KEY,
                conversation_id TEXT COLLATE "C" NOT NULL,
                message_id TEXT COLLATE "C" NOT NULL,
                sender TEXT COLLATE "C",
                receiver TEXT COLLATE "C",
                sender_identifier TEXT COLLATE "C",
                receiver_identifier TEXT COLLATE "C",
                process_identifier TEXT COLLATE "C",
                document_identifier TEXT COLLATE "C",
                message_reference TEXT COLLATE "C",
                message_title TEXT COLLATE "C",
                last_update BIGINT NOT NULL,
                finished BOOLEAN NOT NULL,
                pollable BOOLEAN NOT NULL,
                expiry BIGINT,
                direction TEXT COLLATE "C" NOT NULL,
                service_identifier TEXT COLLATE "C" NOT NULL,
                external_system_reference TEXT,
                search_text TEXT COLLATE "C" NOT NULL,
                UNIQUE (message_id, direction)
            )
            """,
            "CREATE INDEX conversation_conversation_id ON conversation(conversation_id)",
            "CREATE INDEX conversation_last_update ON conversation(last_update)",
            "CREATE INDEX conversation_expiry ON conversation(finished, expiry)",
            "CREATE INDEX conversation_pollable ON conversation(pollable)",
            """
            CREATE TABLE message_status (
                id BIGSERIAL PRIMARY KEY,
                conv_id BIGINT NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
                last_update BIGINT NOT NULL,
                status TEXT COLLATE "C" NOT NULL,
                description TEXT COLLATE "C",
                raw_receipt TEXT,
                UNIQUE (conv_id, status)
            )
            """,
            "CREATE INDEX message_status_conv_id ON message_status(conv_id)",
            "CREATE INDEX message_status_last_update ON message_status(last_update)",
            """
            CREATE TABLE status_queue (
                id BIGSERIAL PRIMARY KEY,
                status_id BIGINT NOT NULL UNIQUE REFERENCES message_status(id) ON DELETE CASCADE
            )
            """,
        ]),
        Migration(name: "v3-outbox", statements: [
            """
            CREATE TABLE outbox_job (
                id BIGSERIAL PRIMARY KEY,
                kind TEXT NOT NULL,
                message_id TEXT COLLATE "C" NOT NULL,
                payload TEXT,
                attempts INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                lease_owner TEXT,
                lease_until BIGINT,
                last_error TEXT
            )
            """,
            "CREATE INDEX outbox_job_next_attempt_at ON outbox_job(next_attempt_at, id)",
            "CREATE INDEX outbox_job_message_id ON outbox_job(message_id)",
            "CREATE INDEX outbox_job_created_at ON outbox_job(created_at)",
        ]),
        Migration(name: "v4-webhooks", statements: [
            """
            CREATE TABLE webhook_subscription (
                id BIGSERIAL PRIMARY KEY,
                name TEXT COLLATE "C",
                push_endpoint TEXT,
                resource TEXT,
                event TEXT,
                filter TEXT
            )
            """,
            "CREATE INDEX webhook_subscription_name ON webhook_subscription(name)",
            """
            CREATE TABLE webhook_delivery (
                id BIGSERIAL PRIMARY KEY,
                subscription_id BIGINT NOT NULL REFERENCES webhook_subscription(id) ON DELETE CASCADE,
                payload TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                lease_owner TEXT,
                lease_until BIGINT,
                last_error TEXT
            )
            """,
            "CREATE INDEX webhook_delivery_next_attempt_at ON webhook_delivery(next_attempt_at, id)",
            "CREATE INDEX webhook_delivery_subscription_id ON webhook_delivery(subscription_id)",
        ]),
        // Payload bytes: one row per payload, its bytes in chunk rows; visible only once `complete`. An unfinished
        // write touches `touched_at` with every chunk, so a write abandoned by a crashed instance can be told
        // from one still running in another instance.
        Migration(name: "v5-payloads", statements: [
            """
            CREATE TABLE payload (
                id BIGSERIAL PRIMARY KEY,
                message_id TEXT COLLATE "C" NOT NULL,
                key TEXT COLLATE "C" NOT NULL,
                size BIGINT NOT NULL,
                complete BOOLEAN NOT NULL,
                touched_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX payload_complete ON payload(message_id, key) WHERE complete",
            "CREATE INDEX payload_message_id ON payload(message_id)",
            """
            CREATE TABLE payload_chunk (
                payload_id BIGINT NOT NULL REFERENCES payload(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                data BYTEA NOT NULL,
                PRIMARY KEY (payload_id, seq)
            )
            """,
        ]),
        // When each pollable conversation is next asked about at its channel, and which poller holds it now.
        Migration(name: "v6-status-polling", statements: [
            "ALTER TABLE conversation ADD COLUMN next_poll_at BIGINT",
            "ALTER TABLE conversation ADD COLUMN poll_lease_owner TEXT",
            "ALTER TABLE conversation ADD COLUMN poll_lease_until BIGINT",
            "CREATE INDEX conversation_poll_due ON conversation(service_identifier, pollable, next_poll_at)",
        ]),
    ]

    /// The names of the migrations, in the order they run.
    static var migrationNames: [String] { migrations.map(\.name) }

    /// Applies the missing migrations, one transaction each, holding an advisory lock for the whole run so that
    /// another instance starting at the same moment waits and then finds everything applied.
    static func migrate(_ session: PostgresSession, schema: String?) throws {
        let lockKey = "integrasjonspunkt-migrations:\(schema ?? "")"
        try session.unprepared("SELECT pg_advisory_lock(hashtext(?))", [lockKey])
        defer { _ = try? session.unprepared("SELECT pg_advisory_unlock(hashtext(?))", [lockKey]) }
        if let schema {
            try session.unprepared("CREATE SCHEMA IF NOT EXISTS \(quoted(schema))")
        }
        try session.unprepared("""
            CREATE TABLE IF NOT EXISTS schema_migration (
                name TEXT PRIMARY KEY,
                applied_at BIGINT NOT NULL
            )
            """)
        let applied = Set(try session.rows("SELECT name FROM schema_migration").map { try $0.string("name") })
        for migration in migrations where !applied.contains(migration.name) {
            try session.unprepared("BEGIN")
            do {
                for statement in migration.statements { try session.unprepared(statement) }
                try session.unprepared("INSERT INTO schema_migration (name, applied_at) VALUES (?, ?)",
                                       [migration.name, Date().microsecondsSince1970])
                try session.unprepared("COMMIT")
            } catch {
                session.rollback()
                throw StoreError.database("migration \(migration.name) failed: \(error)")
            }
        }
    }

    /// An identifier quoted for SQL (`"name"`, inner quotes doubled).
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
