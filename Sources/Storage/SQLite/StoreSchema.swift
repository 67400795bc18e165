import GRDB

/// The database schema as ordered, named migrations. Never edit a step that has shipped: add a new one.
///
/// Conventions: snake_case names as upstream; instants as integer microseconds since 1970 (`Date+Microseconds`);
/// enums as their names, never ordinals (`internals.md` §4.4); every lookup the store makes has an index.
public enum StoreSchema {
    /// The names of the migrations, in the order they run.
    public static var migrationNames: [String] { migrator.migrations }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-messages", migrate: createMessages)
        migrator.registerMigration("v2-conversations", migrate: createConversations)
        migrator.registerMigration("v3-outbox", migrate: createOutbox)
        migrator.registerMigration("v4-webhooks", migrate: createWebhooks)
        migrator.registerMigration("v5-payloads", migrate: createPayloads)
        migrator.registerMigration("v6-status-polling", migrate: addStatusPolling)
        return migrator
    }

    private static func createMessages(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE outgoing_message (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id TEXT NOT NULL UNIQUE,
                conversation_id TEXT NOT NULL,
                process_identifier TEXT,
                receiver_identifier TEXT,
                sender_identifier TEXT,
                service_identifier TEXT NOT NULL,
                sbd TEXT NOT NULL,
                state TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                last_updated INTEGER NOT NULL
            );
            CREATE INDEX outgoing_message_conversation_id ON outgoing_message(conversation_id);
            CREATE INDEX outgoing_message_last_updated ON outgoing_message(last_updated);

            CREATE TABLE message_file (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id TEXT NOT NULL REFERENCES outgoing_message(message_id) ON DELETE CASCADE,
                payload_key TEXT NOT NULL,
                filename TEXT NOT NULL,
                title TEXT,
                mime_type TEXT NOT NULL,
                size INTEGER NOT NULL,
                dokumentnummer INTEGER NOT NULL,
                primary_document INTEGER NOT NULL,
                UNIQUE (message_id, payload_key)
            );
            CREATE INDEX message_file_order ON message_file(message_id, dokumentnummer);

            CREATE TABLE incoming_message (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id TEXT NOT NULL UNIQUE,
                conversation_id TEXT NOT NULL,
                process_identifier TEXT,
                receiver_identifier TEXT,
                sender_identifier TEXT,
                service_identifier TEXT NOT NULL,
                sbd TEXT NOT NULL,
                payload_key TEXT,
                last_updated INTEGER NOT NULL,
                lock_timeout INTEGER
            );
            CREATE INDEX incoming_message_conversation_id ON incoming_message(conversation_id);
            CREATE INDEX incoming_message_peek ON incoming_message(last_updated, lock_timeout);
            """)
    }

    private static func createConversations(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE conversation (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                conversation_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                sender TEXT,
                receiver TEXT,
                sender_identifier TEXT,
                receiver_identifier TEXT,
                process_identifier TEXT,
                document_identifier TEXT,
                message_reference TEXT,
                message_title TEXT,
                last_update INTEGER NOT NULL,
                finished INTEGER NOT NULL,
                pollable INTEGER NOT NULL,
                expiry INTEGER,
                direction TEXT NOT NULL,
                service_identifier TEXT NOT NULL,
                external_system_reference TEXT,
                UNIQUE (message_id, direction)
            );
            CREATE INDEX conversation_conversation_id ON conversation(conversation_id);
            CREATE INDEX conversation_last_update ON conversation(last_update);
            CREATE INDEX conversation_expiry ON conversation(finished, expiry);
            CREATE INDEX conversation_pollable ON conversation(pollable);

            CREATE TABLE message_status (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                conv_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
                last_update INTEGER NOT NULL,
                status TEXT NOT NULL,
                description TEXT,
                raw_receipt TEXT,
                UNIQUE (conv_id, status)
            );
            CREATE INDEX message_status_conv_id ON message_status(conv_id);
            CREATE INDEX message_status_last_update ON message_status(last_update);

            CREATE TABLE status_queue (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                status_id INTEGER NOT NULL UNIQUE REFERENCES message_status(id) ON DELETE CASCADE
            );
            """)
    }

    private static func createOutbox(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE outbox_job (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                message_id TEXT NOT NULL,
                payload TEXT,
                attempts INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                lease_owner TEXT,
                lease_until INTEGER,
                last_error TEXT
            );
            CREATE INDEX outbox_job_next_attempt_at ON outbox_job(next_attempt_at);
            CREATE INDEX outbox_job_message_id ON outbox_job(message_id);
            CREATE INDEX outbox_job_created_at ON outbox_job(created_at);
            """)
    }

    private static func createWebhooks(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE webhook_subscription (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT,
                push_endpoint TEXT,
                resource TEXT,
                event TEXT,
                filter TEXT
            );
            CREATE INDEX webhook_subscription_name ON webhook_subscription(name);

            CREATE TABLE webhook_delivery (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                subscription_id INTEGER NOT NULL REFERENCES webhook_subscription(id) ON DELETE CASCADE,
                payload TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                lease_owner TEXT,
                lease_until INTEGER,
                last_error TEXT
            );
            CREATE INDEX webhook_delivery_next_attempt_at ON webhook_delivery(next_attempt_at);
            CREATE INDEX webhook_delivery_subscription_id ON webhook_delivery(subscription_id);
            """)
    }

    /// Payload bytes kept in the database (`use-db-persistence=true`): one row per payload, its bytes in chunks.
    /// A payload is visible only once `complete`; a write interrupted by a crash leaves an incomplete row that
    /// the next start removes.
    private static func createPayloads(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE payload (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id TEXT NOT NULL,
                key TEXT NOT NULL,
                size INTEGER NOT NULL,
                complete INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX payload_complete ON payload(message_id, key) WHERE complete = 1;
            CREATE INDEX payload_message_id ON payload(message_id);

            CREATE TABLE payload_chunk (
                payload_id INTEGER NOT NULL REFERENCES payload(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (payload_id, seq)
            );
            """)
    }

    /// When each pollable conversation is next asked about at its channel, and which poller holds it now, so that
    /// instances sharing a database poll a conversation one at a time.
    private static func addStatusPolling(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE conversation ADD COLUMN next_poll_at INTEGER;
            ALTER TABLE conversation ADD COLUMN poll_lease_owner TEXT;
            ALTER TABLE conversation ADD COLUMN poll_lease_until INTEGER;
            CREATE INDEX conversation_poll_due ON conversation(service_identifier, pollable, next_poll_at);
            """)
    }
}
