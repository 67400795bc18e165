import GRDB

/// A `WHERE` clause built from optional filters, with its arguments kept beside it.
///
/// Column names come only from the code (never from input); values always travel as arguments.
struct SQLFilter {
    private(set) var clauses: [String] = []
    private(set) var arguments = StatementArguments()

    /// `WHERE a AND b …`, or the empty string when nothing filters.
    var whereClause: String {
        clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
    }

    /// Adds `column IN (…)` unless `values` is empty ("no filter").
    mutating func any(_ column: String, in values: [some DatabaseValueConvertible]) {
        guard !values.isEmpty else { return }
        if values.count == 1 {
            clauses.append("\(column) = ?")
        } else {
            clauses.append("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ",")))")
        }
        arguments += StatementArguments(values)
    }

    /// Adds `column = value` when `value` is set.
    mutating func equal(_ column: String, _ value: (some DatabaseValueConvertible)?) {
        guard let value else { return }
        clauses.append("\(column) = ?")
        arguments += [value]
    }

    /// Adds a raw clause with its arguments.
    mutating func add(_ clause: String, _ values: [(any DatabaseValueConvertible)?] = []) {
        clauses.append(clause)
        arguments += StatementArguments(values)
    }
}

extension SQLFilter {
    /// The filters shared by outgoing and incoming message lists.
    init(_ query: MessageQuery) {
        any("conversation_id", in: query.conversationId)
        any("message_id", in: query.messageId)
        any("process_identifier", in: query.processIdentifier)
        any("receiver_identifier", in: query.receiverIdentifier)
        any("sender_identifier", in: query.senderIdentifier)
        any("service_identifier", in: query.serviceIdentifier.map(\.rawValue))
    }
}

extension StatementArguments {
    /// `LIMIT ? OFFSET ?` arguments of a page.
    static func page(_ request: PageRequest) -> StatementArguments {
        [max(request.size, 0), max(request.offset, 0)]
    }
}
