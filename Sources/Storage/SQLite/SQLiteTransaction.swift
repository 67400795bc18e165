import Foundation
import GRDB

/// `StoreTransaction` over one GRDB connection inside `write` or `read`.
///
/// This file holds the message tables; conversations and statuses, and the outbox and webhooks, are in the
/// extensions beside it.
struct SQLiteTransaction: StoreTransaction {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// Runs an insert, reporting a unique-key clash as `StoreError.duplicate` naming `what`.
    func inserting<T>(_ what: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError
            where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw StoreError.duplicate(what())
        }
    }

    /// One page of `select` (columns and table, no `WHERE`) filtered by `filter` and sorted by `sort`.
    func page<T>(select: String, from table: String, _ filter: SQLFilter, _ request: PageRequest,
                 sortable: SortableColumns, decode: (Row) throws -> T) throws -> Page<T> {
        let orderBy = try sortable.orderBy(request.sort)
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) \(filter.whereClause)",
                                     arguments: filter.arguments) ?? 0
        let rows = try Row.fetchAll(
            db, sql: "SELECT \(select) FROM \(table) \(filter.whereClause) ORDER BY \(orderBy) LIMIT ? OFFSET ?",
            arguments: filter.arguments + .page(request))
        return Page(content: try rows.map(decode), request: request, totalElements: total)
    }

    // MARK: Outgoing messages

    func insertOutgoing(_ message: OutgoingMessageRecord) throws {
        try inserting("outgoing message \(message.messageId)") {
            try db.cachedStatement(sql: """
                INSERT INTO outgoing_message (message_id, conversation_id, process_identifier, receiver_identifier,
                    sender_identifier, service_identifier, sbd, state, created_at, last_updated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    message.messageId, message.conversationId, message.processIdentifier,
                    message.receiverIdentifier, message.senderIdentifier, message.serviceIdentifier.rawValue,
                    message.sbd, message.state.rawValue, message.createdAt.microsecondsSince1970,
                    message.lastUpdated.microsecondsSince1970,
                ])
        }
    }

    func outgoing(messageId: String) throws -> OutgoingMessageRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM outgoing_message WHERE message_id = ?"),
                         arguments: [messageId])
            .map(OutgoingMessageRecord.init(row:))
    }

    func updateOutgoing(_ message: OutgoingMessageRecord) throws {
        try db.cachedStatement(sql: """
            UPDATE outgoing_message SET conversation_id = ?, process_identifier = ?, receiver_identifier = ?,
                sender_identifier = ?, service_identifier = ?, sbd = ?, state = ?, created_at = ?, last_updated = ?
            WHERE message_id = ?
            """).execute(arguments: [
                message.conversationId, message.processIdentifier, message.receiverIdentifier,
                message.senderIdentifier, message.serviceIdentifier.rawValue, message.sbd, message.state.rawValue,
                message.createdAt.microsecondsSince1970, message.lastUpdated.microsecondsSince1970,
                message.messageId,
            ])
    }

    func deleteOutgoing(messageId: String) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM message_file WHERE message_id = ?").execute(arguments: [messageId])
        try db.cachedStatement(sql: "DELETE FROM outgoing_message WHERE message_id = ?").execute(arguments: [messageId])
        return db.changesCount > 0
    }

    func expireOutgoing(messageId: String, at: Date) throws -> Bool {
        try db.execute(sql: """
            UPDATE outgoing_message SET state = ?, last_updated = ? WHERE message_id = ? AND state <> ?
            """, arguments: [OutgoingMessageRecord.State.expired.rawValue, at.microsecondsSince1970, messageId,
                             OutgoingMessageRecord.State.expired.rawValue])
        let expired = db.changesCount > 0
        try db.execute(sql: "DELETE FROM message_file WHERE message_id = ?", arguments: [messageId])
        return expired
    }

    func findOutgoing(_ query: MessageQuery, page request: PageRequest) throws -> Page<OutgoingMessageRecord> {
        try page(select: "*", from: "outgoing_message", SQLFilter(query), request, sortable: .messages,
                 decode: OutgoingMessageRecord.init(row:))
    }

    func insertFile(_ file: StoredFileRecord) throws {
        try inserting("file \(file.payloadKey) of message \(file.messageId)") {
            try db.cachedStatement(sql: """
                INSERT INTO message_file (message_id, payload_key, filename, title, mime_type, size, dokumentnummer,
                    primary_document)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    file.messageId, file.payloadKey, file.filename, file.title, file.mimeType, file.size,
                    file.dokumentnummer, file.primaryDocument,
                ])
        }
    }

    func files(messageId: String) throws -> [StoredFileRecord] {
        try Row.fetchAll(db.cachedStatement(
            sql: "SELECT * FROM message_file WHERE message_id = ? ORDER BY dokumentnummer, id"),
                         arguments: [messageId])
            .map(StoredFileRecord.init(row:))
    }

    // MARK: Incoming messages

    func insertIncoming(_ message: IncomingMessageRecord) throws {
        try inserting("incoming message \(message.messageId)") {
            try db.cachedStatement(sql: """
                INSERT INTO incoming_message (message_id, conversation_id, process_identifier, receiver_identifier,
                    sender_identifier, service_identifier, sbd, payload_key, last_updated, lock_timeout)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    message.messageId, message.conversationId, message.processIdentifier,
                    message.receiverIdentifier, message.senderIdentifier, message.serviceIdentifier.rawValue,
                    message.sbd, message.payloadKey, message.lastUpdated.microsecondsSince1970,
                    message.lockTimeout.stored,
                ])
        }
    }

    func incoming(messageId: String) throws -> IncomingMessageRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM incoming_message WHERE message_id = ?"),
                         arguments: [messageId])
            .map(IncomingMessageRecord.init(row:))
    }

    func findIncoming(_ query: MessageQuery, page request: PageRequest) throws -> Page<IncomingMessageRecord> {
        try page(select: "*", from: "incoming_message", SQLFilter(query), request, sortable: .messages,
                 decode: IncomingMessageRecord.init(row:))
    }

    func lockNextIncoming(_ query: MessageQuery, now: Date, until: Date) throws -> IncomingMessageRecord? {
        var filter = SQLFilter(query)
        filter.add("(lock_timeout IS NULL OR lock_timeout <= ?)", [now.microsecondsSince1970])
        // Inside a write transaction nobody else can lock in between: SQLite has one writer at a time.
        guard let id = try Int64.fetchOne(db, sql: """
            SELECT id FROM incoming_message \(filter.whereClause) ORDER BY last_updated, id LIMIT 1
            """, arguments: filter.arguments) else { return nil }
        try db.cachedStatement(sql: "UPDATE incoming_message SET lock_timeout = ? WHERE id = ?")
            .execute(arguments: [until.microsecondsSince1970, id])
        return try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM incoming_message WHERE id = ?"), arguments: [id])
            .map(IncomingMessageRecord.init(row:))
    }

    func deleteIncoming(messageId: String) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM incoming_message WHERE message_id = ?").execute(arguments: [messageId])
        return db.changesCount > 0
    }

    func countMessages(direction: ConversationDirection) throws -> Int {
        let table = direction == .OUTGOING ? "outgoing_message" : "incoming_message"
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
    }
}

extension OutgoingMessageRecord {
    init(row: Row) throws {
        self.init(messageId: row["message_id"], conversationId: row["conversation_id"],
                  processIdentifier: row["process_identifier"], receiverIdentifier: row["receiver_identifier"],
                  senderIdentifier: row["sender_identifier"], serviceIdentifier: try row.named("service_identifier"),
                  sbd: row["sbd"], state: try row.named("state"), createdAt: row.date("created_at"),
                  lastUpdated: row.date("last_updated"))
    }
}

extension IncomingMessageRecord {
    init(row: Row) throws {
        self.init(messageId: row["message_id"], conversationId: row["conversation_id"],
                  processIdentifier: row["process_identifier"], receiverIdentifier: row["receiver_identifier"],
                  senderIdentifier: row["sender_identifier"], serviceIdentifier: try row.named("service_identifier"),
                  sbd: row["sbd"], payloadKey: row["payload_key"], lastUpdated: row.date("last_updated"),
                  lockTimeout: row.optionalDate("lock_timeout"))
    }
}

extension StoredFileRecord {
    init(row: Row) {
        self.init(messageId: row["message_id"], payloadKey: row["payload_key"], filename: row["filename"],
                  title: row["title"], mimeType: row["mime_type"], size: row["size"],
                  dokumentnummer: row["dokumentnummer"], primaryDocument: row["primary_document"])
    }
}
