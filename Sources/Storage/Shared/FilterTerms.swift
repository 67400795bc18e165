import Foundation

/// A value a filter compares a column with, before a backend binds it.
enum FilterValue: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case flag(Bool)
}

/// The `WHERE` clause of the API's list queries, built once for both backends: clauses with `?` placeholders and
/// their values in order. `SQLFilter` (SQLite) and `PostgresFilter` bind the values each in their own way.
///
/// Column names come only from the code (never from input); values always travel as arguments.
struct FilterTerms: Sendable, Equatable {
    private(set) var clauses: [String] = []
    private(set) var values: [FilterValue] = []

    init() {}

    /// Adds `column IN (…)` unless `values` is empty ("no filter").
    mutating func any(_ column: String, in list: [String]) {
        guard !list.isEmpty else { return }
        if list.count == 1 {
            clauses.append("\(column) = ?")
        } else {
            clauses.append("\(column) IN (\(Array(repeating: "?", count: list.count).joined(separator: ",")))")
        }
        values += list.map(FilterValue.text)
    }

    /// Adds `column = value` when `value` is set.
    mutating func equal(_ column: String, _ value: FilterValue?) {
        guard let value else { return }
        clauses.append("\(column) = ?")
        values.append(value)
    }

    /// Adds a raw clause with its values.
    mutating func add(_ clause: String, _ clauseValues: [FilterValue] = []) {
        clauses.append(clause)
        values += clauseValues
    }
}

extension FilterTerms {
    /// The columns the free-text filter of `/api/conversations` looks in.
    static let searchableColumns = ["conversation_id", "message_id", "sender", "receiver", "message_reference",
                                    "message_title"]

    /// The filters shared by outgoing and incoming message lists.
    init(_ query: MessageQuery) {
        any("conversation_id", in: query.conversationId)
        any("message_id", in: query.messageId)
        any("process_identifier", in: query.processIdentifier)
        any("receiver_identifier", in: query.receiverIdentifier)
        any("sender_identifier", in: query.senderIdentifier)
        any("service_identifier", in: query.serviceIdentifier.map(\.rawValue))
    }

    /// The filters of `/api/conversations`. `freeText` writes the backend's case-insensitive substring match of
    /// `searchableColumns` for the (lowercased) text.
    init(_ query: ConversationQuery, freeText: (String) -> (clause: String, values: [FilterValue])) {
        any("conversation_id", in: query.conversationId)
        any("message_id", in: query.messageId)
        any("receiver", in: query.receiver)
        any("receiver_identifier", in: query.receiverIdentifier)
        any("sender", in: query.sender)
        any("sender_identifier", in: query.senderIdentifier)
        any("service_identifier", in: query.serviceIdentifier.map(\.rawValue))
        any("message_reference", in: query.messageReference)
        any("message_title", in: query.messageTitle)
        equal("pollable", query.pollable.map(FilterValue.flag))
        equal("finished", query.finished.map(FilterValue.flag))
        equal("direction", query.direction.map { .text($0.rawValue) })
        if let from = query.lastUpdateFrom { add("last_update >= ?", [.integer(from.microsecondsSince1970)]) }
        if let to = query.lastUpdateTo { add("last_update <= ?", [.integer(to.microsecondsSince1970)]) }
        if let text = query.text, !text.isEmpty {
            let match = freeText(text.lowercased())
            add(match.clause, match.values)
        }
        if !query.latestStatus.isEmpty {
            let marks = Array(repeating: "?", count: query.latestStatus.count).joined(separator: ",")
            add("""
                (SELECT s.status FROM message_status s WHERE s.conv_id = conversation.id ORDER BY s.id DESC LIMIT 1)
                IN (\(marks))
                """, query.latestStatus.map { .text($0.rawValue) })
        }
    }

    /// The filters of `/api/statuses`, over `message_status s JOIN conversation c`.
    init(_ query: StatusQuery) {
        equal("s.id", query.id.map(FilterValue.integer))
        any("c.conversation_id", in: query.conversationId)
        any("c.message_id", in: query.messageId)
        any("s.status", in: query.status)
        if let from = query.fromDateTime, let to = query.toDateTime {
            add("s.last_update BETWEEN ? AND ?",
                [.integer(from.microsecondsSince1970), .integer(to.microsecondsSince1970)])
        }
    }

    /// `text` with LIKE's wildcards taken literally (for `LIKE … ESCAPE '\'`).
    static func escapingLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
