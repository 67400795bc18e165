import Foundation
import PostgresNIO

/// Conversations, their append-only status history, and the status queue behind `/api/statuses/peek`.
extension PostgresTransaction {
    /// Separates the columns in `conversation.search_text`; removed from search patterns, so a match never spans two.
    static let searchSeparator = "\u{1}"

    func insertConversation(_ c: Conversation) throws -> Int64 {
        try inserting("conversation for message \(c.messageId) (\(c.direction.rawValue))", """
            INSERT INTO conversation (conversation_id, message_id, sender, receiver, sender_identifier,
                receiver_identifier, process_identifier, document_identifier, message_reference, message_title,
                last_update, finished, pollable, expiry, direction, service_identifier, external_system_reference,
                search_text)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING id
            """, scalarArguments(c))
    }

    func updateConversation(_ c: Conversation) throws {
        do {
            try session.execute(Self.updateConversationSQL, scalarArguments(c) + [c.id])
        } catch StoreError.duplicate {
            throw StoreError.duplicate("conversation for message \(c.messageId) (\(c.direction.rawValue))")
        }
    }

    /// Writes the scalar fields of a conversation, with `scalarArguments` and its id.
    private static let updateConversationSQL = """
        UPDATE conversation SET conversation_id = ?, message_id = ?, sender = ?, receiver = ?,
            sender_identifier = ?, receiver_identifier = ?, process_identifier = ?, document_identifier = ?,
            message_reference = ?, message_title = ?, last_update = ?, finished = ?, pollable = ?,
            expiry = ?, direction = ?, service_identifier = ?, external_system_reference = ?, search_text = ?
        WHERE id = ?
        """

    /// `conversation.search_text` of the columns conversation_id, message_id, sender, receiver, message_reference
    /// and message_title, in that order.
    static func searchText(_ columns: [String?]) -> String {
        columns.map { ($0 ?? "").lowercased() }.joined(separator: searchSeparator)
    }

    private func scalarArguments(_ c: Conversation) -> [any PostgresArgument] {
        // The columns of `FilterTerms.searchableColumns`, in that order.
        let searchText = Self.searchText([c.conversationId, c.messageId, c.sender, c.receiver, c.messageReference,
                                          c.messageTitle])
        return [c.conversationId, c.messageId, c.sender, c.receiver, c.senderIdentifier, c.receiverIdentifier,
                c.processIdentifier, c.documentIdentifier, c.messageReference, c.messageTitle,
                c.lastUpdate.microsecondsSince1970, c.finished, c.pollable, c.expiry?.microsecondsSince1970,
                c.direction.rawValue, c.serviceIdentifier.rawValue, c.externalSystemReference, searchText]
    }

    func conversation(id: Int64) throws -> Conversation? {
        try conversations(where: "c.id = ?", [id]).first
    }

    func lockConversation(id: Int64) throws -> Conversation? {
        // The row lock waits for another instance's transaction on this conversation; the read after it then
        // sees that transaction's statuses (READ COMMITTED takes a new snapshot per statement). One statement
        // could not do both: a locking read that waited re-reads the locked row, but not the rows joined to it.
        guard try session.row("SELECT id FROM conversation WHERE id = ? FOR UPDATE", [id]) != nil else { return nil }
        return try conversation(id: id)
    }

    func lockConversation(messageId: String, direction: ConversationDirection) throws -> Conversation? {
        guard let id = try lockedId(messageId: messageId, direction: direction) else { return nil }
        return try conversation(id: id)
    }

    func lockConversationRow(messageId: String, direction: ConversationDirection) throws {
        _ = try lockedId(messageId: messageId, direction: direction)
    }

    private func lockedId(messageId: String, direction: ConversationDirection) throws -> Int64? {
        try session.integer("""
            SELECT id FROM conversation WHERE message_id = ? AND direction = ? FOR UPDATE
            """, [messageId, direction.rawValue])
    }

    func conversation(messageId: String, direction: ConversationDirection) throws -> Conversation? {
        try conversations(where: "c.message_id = ? AND c.direction = ?", [messageId, direction.rawValue]).first
    }

    func conversations(messageId: String) throws -> [Conversation] {
        try conversations(where: "c.message_id = ?", [messageId])
    }

    /// The conversations matching `clause` (on `conversation c`) with their status histories, in one statement:
    /// each conversation comes as one row per status (or one row without a status), in order.
    private func conversations(where clause: String, _ arguments: [any PostgresArgument]) throws -> [Conversation] {
        let rows = try session.rows("""
            SELECT c.*, s.id AS s_id, s.last_update AS s_last_update, s.status AS s_status,
                s.description AS s_description, s.raw_receipt AS s_raw_receipt
            FROM conversation c LEFT JOIN message_status s ON s.conv_id = c.id
            WHERE \(clause) ORDER BY c.id, s.id
            """, arguments)
        var conversations: [Conversation] = []
        for row in rows {
            let id = try row.int64("id")
            if conversations.last?.id != id { conversations.append(try Conversation(row: row)) }
            guard let statusId = try row.optionalInt64("s_id") else { continue }
            let last = conversations.count - 1
            conversations[last].messageStatuses.append(MessageStatus(
                id: statusId, lastUpdate: try row.date("s_last_update"), status: try row.named("s_status"),
                description: try row.optionalString("s_description"),
                rawReceipt: try row.optionalString("s_raw_receipt"), convId: id,
                messageId: conversations[last].messageId, conversationId: conversations[last].conversationId))
        }
        return conversations
    }

    func findConversations(_ query: ConversationQuery, page request: PageRequest) throws -> Page<Conversation> {
        let found = try page(select: "*", from: "conversation", PostgresFilter(query), request,
                             sortable: .conversations, decode: Conversation.init(row:))
        return Page(content: try withStatuses(found.content), request: request, totalElements: found.totalElements)
    }

    /// `conversations` with their status histories, read in one query.
    func withStatuses(_ conversations: [Conversation]) throws -> [Conversation] {
        guard !conversations.isEmpty else { return [] }
        var filter = PostgresFilter()
        filter.any("s.conv_id", in: conversations.map(\.id))
        let statuses = try fetchStatuses("\(filter.whereClause) ORDER BY s.id", filter.arguments)
        let byConversation = Dictionary(grouping: statuses, by: \.convId)
        return conversations.map { conversation in
            var conversation = conversation
            conversation.messageStatuses = byConversation[conversation.id] ?? []
            return conversation
        }
    }

    func deleteConversation(id: Int64) throws -> Bool {
        try session.execute("""
            DELETE FROM status_queue WHERE status_id IN (SELECT id FROM message_status WHERE conv_id = ?)
            """, [id])
        try session.execute("DELETE FROM message_status WHERE conv_id = ?", [id])
        return try session.changes("DELETE FROM conversation WHERE id = ?", [id]) > 0
    }

    func expiredConversations(now: Date, limit: Int) throws -> [Conversation] {
        let rows = try session.rows("""
            SELECT * FROM conversation WHERE finished = FALSE AND expiry < ? ORDER BY expiry, id LIMIT ?
            """, [now.microsecondsSince1970, max(limit, 0)])
        return try withStatuses(rows.map(Conversation.init(row:)))
    }

    /// One step down the `last_update` index, whatever the table's size (the health check asks on every call).
    func oldestConversationUpdate() throws -> Date? {
        try session.integer("SELECT MIN(last_update) FROM conversation").map { Date(microsecondsSince1970: $0) }
    }

    // MARK: Statuses

    func appendStatus(conversationId: Int64, status: ReceiptStatus, description: String?, rawReceipt: String?,
                      at: Date) throws -> MessageStatus {
        // Inserted and read back with its conversation's ids in one statement.
        let stored = try session.row("""
            WITH s AS (
                INSERT INTO message_status (conv_id, last_update, status, description, raw_receipt)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING RETURNING *)
            SELECT \(Self.statusColumns) FROM s JOIN conversation c ON c.id = s.conv_id
            """, [conversationId, at.microsecondsSince1970, status.rawValue, description, rawReceipt])
        guard let stored else {
            throw StoreError.duplicate("status \(status.rawValue) of conversation \(conversationId)")
        }
        return try MessageStatus(row: stored)
    }

    func appendStatus(_ status: ReceiptStatus, description: String?, rawReceipt: String?, at: Date,
                      updating c: Conversation) throws -> MessageStatus {
        // The status row and the conversation's new fields in one statement: one round trip instead of two. It
        // also asks whether any webhook subscription exists, which the registrar wants to know next: mostly there
        // is none, and then its `allSubscriptions` is answered without a round trip (see `noSubscriptionsSeen`).
        let inserted: PostgresRandomAccessRow?
        do {
            inserted = try session.row("""
                WITH s AS (
                    INSERT INTO message_status (conv_id, last_update, status, description, raw_receipt)
                    VALUES (?, ?, ?, ?, ?) RETURNING id),
                u AS (\(Self.updateConversationSQL))
                SELECT id, EXISTS (SELECT 1 FROM webhook_subscription) AS subscribed FROM s
                """, [c.id, at.microsecondsSince1970, status.rawValue, description, rawReceipt]
                    + scalarArguments(c) + [c.id])
        } catch StoreError.duplicate {
            throw StoreError.duplicate("conversation for message \(c.messageId) (\(c.direction.rawValue))")
        }
        guard let inserted else {
            throw StoreError.database("status \(status.rawValue) of conversation \(c.id) was not written")
        }
        let id = try inserted.int64("id")
        session.noSubscriptionsSeen = !(try inserted.bool("subscribed"))
        return MessageStatus(id: id, lastUpdate: Date(microsecondsSince1970: at.microsecondsSince1970), status: status,
                             description: description, rawReceipt: rawReceipt, convId: c.id, messageId: c.messageId,
                             conversationId: c.conversationId)
    }

    func findStatuses(_ query: StatusQuery, page request: PageRequest) throws -> Page<MessageStatus> {
        try page(select: Self.statusColumns, from: Self.statusTables, PostgresFilter(query), request,
                 sortable: .statuses, decode: MessageStatus.init(row:))
    }

    private static let statusColumns = "s.*, c.message_id, c.conversation_id"
    private static let statusTables = "message_status s JOIN conversation c ON c.id = s.conv_id"

    private func fetchStatuses(_ tail: String, _ arguments: [any PostgresArgument]) throws -> [MessageStatus] {
        try session.rows("SELECT \(Self.statusColumns) FROM \(Self.statusTables) \(tail)", arguments)
            .map(MessageStatus.init(row:))
    }

    // MARK: Status queue

    func enqueueStatusEvent(statusId: Int64) throws {
        try session.execute("INSERT INTO status_queue (status_id) VALUES (?) ON CONFLICT (status_id) DO NOTHING",
                            [statusId])
    }

    func oldestQueuedStatus() throws -> MessageStatus? {
        try fetchStatuses("JOIN status_queue q ON q.status_id = s.id ORDER BY q.id LIMIT 1", []).first
    }

    func removeQueuedStatus(statusId: Int64) throws -> Bool {
        try session.changes("DELETE FROM status_queue WHERE status_id = ?", [statusId]) > 0
    }
}

extension Conversation {
    init(row: PostgresRandomAccessRow) throws {
        self.init(id: try row.int64("id"), conversationId: try row.string("conversation_id"),
                  messageId: try row.string("message_id"), sender: try row.optionalString("sender"),
                  receiver: try row.optionalString("receiver"),
                  senderIdentifier: try row.optionalString("sender_identifier"),
                  receiverIdentifier: try row.optionalString("receiver_identifier"),
                  processIdentifier: try row.optionalString("process_identifier"),
                  documentIdentifier: try row.optionalString("document_identifier"),
                  messageReference: try row.optionalString("message_reference"),
                  messageTitle: try row.optionalString("message_title"), lastUpdate: try row.date("last_update"),
                  finished: try row.bool("finished"), pollable: try row.bool("pollable"),
                  expiry: try row.optionalDate("expiry"), direction: try row.named("direction"),
                  serviceIdentifier: try row.named("service_identifier"),
                  externalSystemReference: try row.optionalString("external_system_reference"))
    }
}

extension MessageStatus {
    init(row: PostgresRandomAccessRow) throws {
        self.init(id: try row.int64("id"), lastUpdate: try row.date("last_update"), status: try row.named("status"),
                  description: try row.optionalString("description"),
                  rawReceipt: try row.optionalString("raw_receipt"), convId: try row.int64("conv_id"),
                  messageId: try row.string("message_id"), conversationId: try row.string("conversation_id"))
    }
}
