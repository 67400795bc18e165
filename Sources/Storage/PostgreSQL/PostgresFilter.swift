import Foundation

/// A `WHERE` clause built from optional filters, with its arguments kept beside it (PostgreSQL's `SQLFilter`).
///
/// Column names come only from the code (never from input); values always travel as arguments.
struct PostgresFilter {
    private(set) var clauses: [String] = []
    private(set) var arguments: [any PostgresArgument] = []

    /// `WHERE a AND b …`, or the empty string when nothing filters.
    var whereClause: String {
        clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
    }

    /// Adds `column IN (…)` unless `values` is empty ("no filter").
    mutating func any<V: PostgresArgument>(_ column: String, in values: [V]) {
        guard !values.isEmpty else { return }
        if values.count == 1 {
            clauses.append("\(column) = ?")
        } else {
            clauses.append("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ",")))")
        }
        arguments += values.map { $0 as any PostgresArgument }
    }

    /// Adds `column = value` when `value` is set.
    mutating func equal<V: PostgresArgument>(_ column: String, _ value: V?) {
        guard let value else { return }
        clauses.append("\(column) = ?")
        arguments.append(value)
    }

    /// Adds a raw clause with its arguments.
    mutating func add(_ clause: String, _ values: [any PostgresArgument] = []) {
        clauses.append(clause)
        arguments += values
    }
}

extension PostgresFilter {
    /// The filters shared by outgoing and incoming message lists.
    init(_ query: MessageQuery) {
        any("message_id", in: query.messageId)
        any("conversation_id", in: query.conversationId)
        any("process_identifier", in: query.processIdentifier)
        any("receiver_identifier", in: query.receiverIdentifier)
        any("sender_identifier", in: query.senderIdentifier)
        any("service_identifier", in: query.serviceIdentifier.map(\.rawValue))
    }

    /// The filters of `/api/conversations`.
    init(_ query: ConversationQuery) {
        any("conversation_id", in: query.conversationId)
        any("message_id", in: query.messageId)
        any("receiver", in: query.receiver)
        any("receiver_identifier", in: query.receiverIdentifier)
        any("sender", in: query.sender)
        any("sender_identifier", in: query.senderIdentifier)
        any("service_identifier", in: query.serviceIdentifier.map(\.rawValue))
        any("message_reference", in: query.messageReference)
        any("message_title", in: query.messageTitle)
        equal("pollable", query.pollable)
        equal("finished", query.finished)
        equal("direction", query.direction?.rawValue)
        if let from = query.lastUpdateFrom { add("last_update >= ?", [from.microsecondsSince1970]) }
        if let to = query.lastUpdateTo { add("last_update <= ?", [to.microsecondsSince1970]) }
        if let text = query.text, !text.isEmpty {
            // `search_text` holds the searchable columns lowercased by Swift, split by a character no pattern holds.
            let needle = text.lowercased().replacingOccurrences(of: PostgresTransaction.searchSeparator, with: "")
            add("search_text LIKE ? ESCAPE '\\'", ["%" + SQLFilter.escapingLike(needle) + "%"])
        }
        if !query.latestStatus.isEmpty {
            let marks = Array(repeating: "?", count: query.latestStatus.count).joined(separator: ",")
            add("""
                (SELECT s.status FROM message_status s WHERE s.conv_id = conversation.id ORDER BY s.id DESC LIMIT 1)
                IN (\(marks))
                """, query.latestStatus.map(\.rawValue))
        }
    }
}
