import Foundation
import PostgresNIO

/// `StoreTransaction` over one PostgreSQL connection inside `write` or `read`; each call is one round trip
/// (or a few) that blocks the transaction's own thread.
///
/// This file holds the message tables; conversations and statuses, and the outbox and webhooks, are in the
/// extensions beside it. Inserts that may clash on a unique key use `ON CONFLICT DO NOTHING` and report the clash
/// as `StoreError.duplicate`, which leaves the transaction usable, as on SQLite.
struct PostgresTransaction: StoreTransaction {
    let session: PostgresSession

    init(_ session: PostgresSession) { self.session = session }

    /// One page of `select` (columns and table, no `WHERE`) filtered by `filter` and sorted by `sort`.
    func page<T>(select: String, from table: String, _ filter: PostgresFilter, _ request: PageRequest,
                 sortable: SortableColumns, decode: (PostgresRandomAccessRow) throws -> T) throws -> Page<T> {
        let orderBy = try sortable.orderBy(request.sort)
        let total = try session.integer("SELECT COUNT(*) FROM \(table) \(filter.whereClause)", filter.arguments) ?? 0
        let rows = try session.rows(
            "SELECT \(select) FROM \(table) \(filter.whereClause) ORDER BY \(orderBy) LIMIT ? OFFSET ?",
            filter.arguments + [max(request.size, 0), max(request.offset, 0)])
        return Page(content: try rows.map(decode), request: request, totalElements: Int(total))
    }

    /// Runs an `INSERT … ON CONFLICT DO NOTHING RETURNING id` and returns the id, or reports the clash.
    func inserting(_ what: @autoclosure () -> String, _ sql: String, _ arguments: [any PostgresArgument]) throws -> Int64 {
        guard let id = try session.integer(sql, arguments) else { throw StoreError.duplicate(what()) }
        return id
    }

    // MARK: Outgoing messages

    func insertOutgoing(_ message: OutgoingMessageRecord) throws {
        _ = try inserting("outgoing message \(message.messageId)", """
            INSERT INTO outgoing_message (message_id, conversation_id, process_identifier, receiver_identifier,
                sender_identifier, service_identifier, sbd, state, created_at, last_updated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING id
            """, [
                message.messageId, message.conversationId, message.processIdentifier,
                message.receiverIdentifier, message.senderIdentifier, message.serviceIdentifier.rawValue,
                message.sbd, message.state.rawValue, message.createdAt.microsecondsSince1970,
                message.lastUpdated.microsecondsSince1970,
            ])
    }

    func outgoing(messageId: String) throws -> OutgoingMessageRecord? {
        try session.row("SELECT * FROM outgoing_message WHERE message_id = ?", [messageId])
            .map(OutgoingMessageRecord.init(row:))
    }

    func updateOutgoing(_ message: OutgoingMessageRecord) throws {
        try session.execute("""
            UPDATE outgoing_message SET conversation_id = ?, process_identifier = ?, receiver_identifier = ?,
                sender_identifier = ?, service_identifier = ?, sbd = ?, state = ?, created_at = ?, last_updated = ?
            WHERE message_id = ?
            """, [
                message.conversationId, message.processIdentifier, message.receiverIdentifier,
                message.senderIdentifier, message.serviceIdentifier.rawValue, message.sbd, message.state.rawValue,
                message.createdAt.microsecondsSince1970, message.lastUpdated.microsecondsSince1970,
                message.messageId,
            ])
    }

    func deleteOutgoing(messageId: String) throws -> Bool {
        try session.execute("DELETE FROM message_file WHERE message_id = ?", [messageId])
        return try session.changes("DELETE FROM outgoing_message WHERE message_id = ?", [messageId]) > 0
    }

    func expireOutgoing(messageId: String, at: Date) throws -> Bool {
        let expired = OutgoingMessageRecord.State.expired.rawValue
        let changed = try session.changes(
            "UPDATE outgoing_message SET state = ?, last_updated = ? WHERE message_id = ? AND state <> ?",
            [expired, at.microsecondsSince1970, messageId, expired])
        try session.execute("DELETE FROM message_file WHERE message_id = ?", [messageId])
        return changed > 0
    }

    func findOutgoing(_ query: MessageQuery, page request: PageRequest) throws -> Page<OutgoingMessageRecord> {
        try page(select: "*", from: "outgoing_message", PostgresFilter(query), request, sortable: .messages,
                 decode: OutgoingMessageRecord.init(row:))
    }

    func insertFile(_ file: StoredFileRecord) throws {
        _ = try inserting("file \(file.payloadKey) of message \(file.messageId)", """
            INSERT INTO message_file (message_id, payload_key, filename, title, mime_type, size, dokumentnummer,
                primary_document)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING id
            """, [
                file.messageId, file.payloadKey, file.filename, file.title, file.mimeType, file.size,
                file.dokumentnummer, file.primaryDocument,
            ])
    }

    func files(messageId: String) throws -> [StoredFileRecord] {
        try session.rows("SELECT * FROM message_file WHERE message_id = ? ORDER BY dokumentnummer, id", [messageId])
            .map { try StoredFileRecord(row: $0) }
    }

    func outgoingWithFiles(messageId: String) throws -> (OutgoingMessageRecord, [StoredFileRecord])? {
        // One row per file (one row with NULL file columns when there is none), the message's columns on each.
        let rows = try session.rows("""
            SELECT m.*, f.payload_key AS f_payload_key, f.filename AS f_filename, f.title AS f_title,
                f.mime_type AS f_mime_type, f.size AS f_size, f.dokumentnummer AS f_dokumentnummer,
                f.primary_document AS f_primary_document
            FROM outgoing_message m LEFT JOIN message_file f ON f.message_id = m.message_id
            WHERE m.message_id = ? ORDER BY f.dokumentnummer, f.id
            """, [messageId])
        guard let first = rows.first else { return nil }
        let files = try rows.compactMap { row -> StoredFileRecord? in
            guard try row.optionalString("f_payload_key") != nil else { return nil }
            return try StoredFileRecord(row: row, prefix: "f_")
        }
        return (try OutgoingMessageRecord(row: first), files)
    }

    // MARK: Incoming messages

    func insertIncoming(_ message: IncomingMessageRecord) throws {
        _ = try inserting("incoming message \(message.messageId)", """
            INSERT INTO incoming_message (message_id, conversation_id, process_identifier, receiver_identifier,
                sender_identifier, service_identifier, sbd, payload_key, last_updated, lock_timeout)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING id
            """, [
                message.messageId, message.conversationId, message.processIdentifier,
                message.receiverIdentifier, message.senderIdentifier, message.serviceIdentifier.rawValue,
                message.sbd, message.payloadKey, message.lastUpdated.microsecondsSince1970,
                message.lockTimeout?.microsecondsSince1970,
            ])
    }

    func incoming(messageId: String) throws -> IncomingMessageRecord? {
        try session.row("SELECT * FROM incoming_message WHERE message_id = ?", [messageId])
            .map(IncomingMessageRecord.init(row:))
    }

    func findIncoming(_ query: MessageQuery, page request: PageRequest) throws -> Page<IncomingMessageRecord> {
        try page(select: "*", from: "incoming_message", PostgresFilter(query), request, sortable: .messages,
                 decode: IncomingMessageRecord.init(row:))
    }

    func receivedBefore(messageId: String) throws -> Bool {
        try session.row("""
            SELECT EXISTS (SELECT 1 FROM incoming_message WHERE message_id = ?)
                OR EXISTS (SELECT 1 FROM conversation WHERE message_id = ? AND direction = ?) AS received
            """, [messageId, messageId, ConversationDirection.INCOMING.rawValue])?.bool("received") ?? false
    }

    func lockNextIncoming(_ query: MessageQuery, now: Date, until: Date) throws -> IncomingMessageRecord? {
        var filter = PostgresFilter(query)
        filter.add("(lock_timeout IS NULL OR lock_timeout <= ?)", [now.microsecondsSince1970])
        // Another instance peeking at the same moment skips the row this one locks, and takes the next.
        return try session.row("""
            WITH next AS (
                SELECT id FROM incoming_message \(filter.whereClause)
                ORDER BY last_updated, id LIMIT 1
                FOR UPDATE SKIP LOCKED)
            UPDATE incoming_message m SET lock_timeout = ? FROM next WHERE m.id = next.id
            RETURNING m.*
            """, filter.arguments + [until.microsecondsSince1970])
            .map(IncomingMessageRecord.init(row:))
    }

    func deleteIncoming(messageId: String) throws -> Bool {
        try session.changes("DELETE FROM incoming_message WHERE message_id = ?", [messageId]) > 0
    }

    func countMessages(direction: ConversationDirection) throws -> Int {
        let table = direction == .OUTGOING ? "outgoing_message" : "incoming_message"
        return Int(try session.integer("SELECT COUNT(*) FROM \(table)") ?? 0)
    }
}

extension OutgoingMessageRecord {
    init(row: PostgresRandomAccessRow) throws {
        self.init(messageId: try row.string("message_id"), conversationId: try row.string("conversation_id"),
                  processIdentifier: try row.optionalString("process_identifier"),
                  receiverIdentifier: try row.optionalString("receiver_identifier"),
                  senderIdentifier: try row.optionalString("sender_identifier"),
                  serviceIdentifier: try row.named("service_identifier"), sbd: try row.string("sbd"),
                  state: try row.named("state"), createdAt: try row.date("created_at"),
                  lastUpdated: try row.date("last_updated"))
    }
}

extension IncomingMessageRecord {
    init(row: PostgresRandomAccessRow) throws {
        self.init(messageId: try row.string("message_id"), conversationId: try row.string("conversation_id"),
                  processIdentifier: try row.optionalString("process_identifier"),
                  receiverIdentifier: try row.optionalString("receiver_identifier"),
                  senderIdentifier: try row.optionalString("sender_identifier"),
                  serviceIdentifier: try row.named("service_identifier"), sbd: try row.string("sbd"),
                  payloadKey: try row.optionalString("payload_key"), lastUpdated: try row.date("last_updated"),
                  lockTimeout: try row.optionalDate("lock_timeout"))
    }
}

extension StoredFileRecord {
    /// From the columns of `message_file`, named with `prefix` in front but for `message_id`.
    init(row: PostgresRandomAccessRow, prefix: String = "") throws {
        self.init(messageId: try row.string("message_id"), payloadKey: try row.string(prefix + "payload_key"),
                  filename: try row.string(prefix + "filename"), title: try row.optionalString(prefix + "title"),
                  mimeType: try row.string(prefix + "mime_type"), size: try row.int64(prefix + "size"),
                  dokumentnummer: try row.int(prefix + "dokumentnummer"),
                  primaryDocument: try row.bool(prefix + "primary_document"))
    }
}
