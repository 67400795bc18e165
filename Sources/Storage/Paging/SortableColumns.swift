/// The sort properties of one list, each mapped to the SQL column it sorts by.
///
/// A whitelist, not a translation: only these names ever reach SQL, so a sort parameter cannot inject anything.
public struct SortableColumns: Sendable {
    /// Property names in the order they are listed to the client.
    public let properties: [String]
    private let columns: [String: String]
    /// The column that makes every order total (`id`), appended last when not already sorted on.
    private let idColumn: String

    public init(_ pairs: KeyValuePairs<String, String>, idColumn: String) {
        properties = pairs.map(\.key)
        columns = Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, $0.value) })
        self.idColumn = idColumn
    }

    /// The `ORDER BY` clause (without the keywords) for `sort`: the client's order, then id ascending.
    ///
    /// - Throws: `InvalidSortProperty` for a property outside the whitelist.
    public func orderBy(_ sort: [SortOrder]) throws -> String {
        var terms: [String] = []
        var sortsOnId = false
        for order in sort {
            guard let column = columns[order.property] else {
                throw InvalidSortProperty(property: order.property, allowed: properties)
            }
            sortsOnId = sortsOnId || column == idColumn
            // Nulls sort as the smallest value on every backend (SQLite's default, not PostgreSQL's).
            terms.append("\(column) \(order.ascending ? "ASC NULLS FIRST" : "DESC NULLS LAST")")
        }
        if !sortsOnId { terms.append("\(idColumn) ASC") }
        return terms.joined(separator: ", ")
    }
}

extension SortableColumns {
    /// `/api/messages/out` and `/api/messages/in`.
    public static let messages = SortableColumns([
        "id": "id", "conversationId": "conversation_id", "messageId": "message_id",
        "processIdentifier": "process_identifier", "receiverIdentifier": "receiver_identifier",
        "senderIdentifier": "sender_identifier", "serviceIdentifier": "service_identifier",
        "lastUpdated": "last_updated",
    ], idColumn: "id")

    /// `/api/conversations` (default `lastUpdate,DESC`, applied by the caller).
    public static let conversations = SortableColumns([
        "id": "id", "lastUpdate": "last_update", "conversationId": "conversation_id", "messageId": "message_id",
        "sender": "sender", "receiver": "receiver", "senderIdentifier": "sender_identifier",
        "receiverIdentifier": "receiver_identifier", "serviceIdentifier": "service_identifier",
        "direction": "direction", "finished": "finished", "messageReference": "message_reference",
        "messageTitle": "message_title", "expiry": "expiry",
    ], idColumn: "id")

    /// `/api/statuses` (default `id,ASC`).
    public static let statuses = SortableColumns([
        "id": "s.id", "lastUpdate": "s.last_update", "status": "s.status", "description": "s.description",
    ], idColumn: "s.id")

    /// `/api/subscriptions`.
    public static let subscriptions = SortableColumns(["id": "id", "name": "name"], idColumn: "id")
}
