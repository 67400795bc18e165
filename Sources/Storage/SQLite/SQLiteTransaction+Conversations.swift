import Foundation
import GRDB

/// Conversations, their append-only status history, and the status queue behind `/api/statuses/peek`.
extension SQLiteTransaction {
    func insertConversation(_ c: Conversation) throws -> Int64 {
        try inserting("conversation for message \(c.messageId) (\(c.direction.rawValue))") {
            try db.cachedStatement(sql: """
                INSERT INTO conversation (conversation_id, message_id, sender, receiver, sender_identifier,
                    receiver_identifier, process_identifier, document_identifier, message_reference, message_title,
                    last_update, finished, pollable, expiry, direction, service_identifier, external_system_reference)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: scalarArguments(c))
            return db.lastInsertedRowID
        }
    }

    func updateConversation(_ c: Conversation) throws {
        try inserting("conversation for message \(c.messageId) (\(c.direction.rawValue))") {
            try db.cachedStatement(sql: """
                UPDATE conversation SET conversation_id = ?, message_id = ?, sender = ?, receiver = ?,
                    sender_identifier = ?, receiver_identifier = ?, process_identifier = ?, document_identifier = ?,
                    message_reference = ?, message_title = ?, last_update = ?, finished = ?, pollable = ?, expiry = ?,
                    direction = ?, service_identifier = ?, external_system_reference = ?
                WHERE id = ?
                """).execute(arguments: scalarArguments(c) + [c.id])
        }
    }

    private func scalarArguments(_ c: Conversation) -> StatementArguments {
        [c.conversationId, c.messageId, c.sender, c.receiver, c.senderIdentifier, c.receiverIdentifier,
         c.processIdentifier, c.documentIdentifier, c.messageReference, c.messageTitle,
         c.lastUpdate.microsecondsSince1970, c.finished, c.pollable, c.expiry.stored, c.direction.rawValue,
         c.serviceIdentifier.rawValue, c.externalSystemReference]
    }

    func conversation(id: Int64) throws -> Conversation? {
        try conversations(where: "id = ?", [id]).first
    }

    func conversation(messageId: String, direction: ConversationDirection) throws -> Conversation? {
        try conversations(where: "message_id = ? AND direction = ?", [messageId, direction.rawValue]).first
    }

    func conversations(messageId: String) throws -> [Conversation] {
        try conversations(where: "message_id = ?", [messageId])
    }

    private func conversations(where clause: String, _ arguments: StatementArguments) throws -> [Conversation] {
        // The clauses are the few fixed ones above, so the prepared statements can be kept.
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM conversation WHERE \(clause) ORDER BY id"),
                                    arguments: arguments)
        return try withStatuses(rows.map(Conversation.init(row:)))
    }

    func findConversations(_ query: ConversationQuery, page request: PageRequest) throws -> Page<Conversation> {
        let found = try page(select: "*", from: "conversation", SQLFilter(query), request,
                             sortable: .conversations, decode: Conversation.init(row:))
        return Page(content: try withStatuses(found.content), request: request, totalElements: found.totalElements)
    }

    /// `conversations` with their status histories, read in one query.
    func withStatuses(_ conversations: [Conversation]) throws -> [Conversation] {
        guard !conversations.isEmpty else { return [] }
        var filter = SQLFilter()
        filter.any("s.conv_id", in: conversations.map(\.id))
        // One conversation (a message's, the common case) gives the same `s.conv_id = ?` every time: kept prepared.
        let statuses = try fetchStatuses("\(filter.whereClause) ORDER BY s.id", filter.arguments,
                                         prepared: conversations.count == 1)
        let byConversation = Dictionary(grouping: statuses, by: \.convId)
        return conversations.map { conversation in
            var conversation = conversation
            conversation.messageStatuses = byConversation[conversation.id] ?? []
            return conversation
        }
    }

    func deleteConversation(id: Int64) throws -> Bool {
        try db.cachedStatement(sql: """
            DELETE FROM status_queue WHERE status_id IN (SELECT id FROM message_status WHERE conv_id = ?)
            """).execute(arguments: [id])
        try db.cachedStatement(sql: "DELETE FROM message_status WHERE conv_id = ?").execute(arguments: [id])
        try db.cachedStatement(sql: "DELETE FROM conversation WHERE id = ?").execute(arguments: [id])
        return db.changesCount > 0
    }

    func expiredConversations(now: Date, limit: Int) throws -> [Conversation] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM conversation WHERE finished = 0 AND expiry < ? ORDER BY expiry, id LIMIT ?
            """), arguments: [now.microsecondsSince1970, max(limit, 0)])
        return try withStatuses(rows.map(Conversation.init(row:)))
    }

    // MARK: Statuses

    func appendStatus(conversationId: Int64, status: ReceiptStatus, description: String?, rawReceipt: String?,
                      at: Date) throws -> MessageStatus {
        try inserting("status \(status.rawValue) of conversation \(conversationId)") {
            try db.cachedStatement(sql: """
                INSERT INTO message_status (conv_id, last_update, status, description, raw_receipt)
                VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [conversationId, at.microsecondsSince1970, status.rawValue, description,
                                         rawReceipt])
        }
        let id = db.lastInsertedRowID
        guard let stored = try fetchStatuses("WHERE s.id = ?", [id], prepared: true).first else {
            throw StoreError.database("status \(id) vanished right after it was written")
        }
        return stored
    }

    func findStatuses(_ query: StatusQuery, page request: PageRequest) throws -> Page<MessageStatus> {
        try page(select: Self.statusColumns, from: Self.statusTables, SQLFilter(query), request,
                 sortable: .statuses, decode: MessageStatus.init(row:))
    }

    private static let statusColumns = "s.*, c.message_id, c.conversation_id"
    private static let statusTables = "message_status s JOIN conversation c ON c.id = s.conv_id"

    /// With `prepared`, the statement is kept prepared for the next call: for fixed `tail`s only.
    private func fetchStatuses(_ tail: String, _ arguments: StatementArguments,
                               prepared: Bool = false) throws -> [MessageStatus] {
        let sql = "SELECT \(Self.statusColumns) FROM \(Self.statusTables) \(tail)"
        let rows = prepared ? try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
                            : try Row.fetchAll(db, sql: sql, arguments: arguments)
        return try rows.map(MessageStatus.init(row:))
    }

    // MARK: Status queue

    func enqueueStatusEvent(statusId: Int64) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO status_queue (status_id) VALUES (?)")
            .execute(arguments: [statusId])
    }

    func oldestQueuedStatus() throws -> MessageStatus? {
        try fetchStatuses("JOIN status_queue q ON q.status_id = s.id ORDER BY q.id LIMIT 1", []).first
    }

    func removeQueuedStatus(statusId: Int64) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM status_queue WHERE status_id = ?").execute(arguments: [statusId])
        return db.changesCount > 0
    }
}

extension SQLFilter {
    /// The filters of `/api/conversations`.
    init(_ query: ConversationQuery) {
        self.init(FilterTerms(query) { text in
            // Case-insensitive for all of Unicode (SQLite's own lower() folds ASCII only).
            let pattern = "%" + FilterTerms.escapingLike(text) + "%"
            let columns = FilterTerms.searchableColumns
            return ("(" + columns.map { "swiftLowercaseString(\($0)) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ") + ")",
                    Array(repeating: .text(pattern), count: columns.count))
        })
    }
}

extension Conversation {
    init(row: Row) throws {
        self.init(id: row["id"], conversationId: row["conversation_id"], messageId: row["message_id"],
                  sender: row["sender"], receiver: row["receiver"], senderIdentifier: row["sender_identifier"],
                  receiverIdentifier: row["receiver_identifier"], processIdentifier: row["process_identifier"],
                  documentIdentifier: row["document_identifier"], messageReference: row["message_reference"],
                  messageTitle: row["message_title"], lastUpdate: row.date("last_update"),
                  finished: row["finished"], pollable: row["pollable"], expiry: row.optionalDate("expiry"),
                  direction: try row.named("direction"), serviceIdentifier: try row.named("service_identifier"),
                  externalSystemReference: row["external_system_reference"])
    }
}

extension MessageStatus {
    init(row: Row) throws {
        self.init(id: row["id"], lastUpdate: row.date("last_update"), status: try row.named("status"),
                  description: row["description"], rawReceipt: row["raw_receipt"], convId: row["conv_id"],
                  messageId: row["message_id"], conversationId: row["conversation_id"])
    }
}
