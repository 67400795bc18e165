/// The sort properties of one list, each mapped to the SQL column it sorts by.
///
/// A whitelist, not a translation: only these names ever reach SQL, so a sort parameter cannot inject anything.
public struct SortableColumns: Sendable {
    /// Property names in the order they are listed to the client.
    public let properties: [String]
    private let columns: [String: String]
    /// The column that makes every order total (`id`), appended last when not already sorted on.
    private let idColumn: String
    /// Columns declared `NOT NULL`: sorted without a `NULLS` clause.
    private let notNull: Set<String>

    /// - Parameter notNull: the columns the schema declares `NOT NULL` (the id column is one). Sorting on any other
    ///   column names where its nulls go.
    public init(_ pairs: KeyValuePairs<String, String>, idColumn: String, notNull: Set<String> = []) {
        properties = pairs.map(\.key)
        columns = Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, $0.value) })
        self.idColumn = idColumn
        self.notNull = notNull.union([idColumn])
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
            if notNull.contains(column) {
                // No NULLS clause where there are no nulls: PostgreSQL then reads the column's index forwards or
                // backwards (it does not know that `DESC NULLS LAST` on a NOT NULL column is the same order as
                // `DESC`, and would sort the whole table for the first page).
                terms.append("\(column) \(order.ascending ? "ASC" : "DESC")")
            } else {
                // Nulls sort as the smallest value on every backend (SQLite's default, not PostgreSQL's).
                terms.append("\(column) \(order.ascending ? "ASC NULLS FIRST" : "DESC NULLS LAST")")
            }
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
    ], idColumn: "id", notNull: ["conversation_id", "message_id", "service_identifier", "last_updated"])

    /// `/api/conversations` (default `lastUpdate,DESC`, applied by the caller).
    public static let conversations = SortableColumns([
        "id": "id", "lastUpdate": "last_update", "conversationId": "conversation_id", "messageId": "message_id",
        "sender": "sender", "receiver": "receiver", "senderIdentifier": "sender_identifier",
        "receiverIdentifier": "receiver_identifier", "serviceIdentifier": "service_identifier",
        "direction": "direction", "finished": "finished", "messageReference": "message_reference",
        "messageTitle": "message_title", "expiry": "expiry",
    ], idColumn: "id", notNull: ["last_update", "conversation_id", "message_id", "service_identifier", "direction",
                                 "finished"])

    /// `/api/statuses` (default `id,ASC`).
    public static let statuses = SortableColumns([
        "id": "s.id", "lastUpdate": "s.last_update", "status": "s.status", "description": "s.description",
    ], idColumn: "s.id", notNull: ["s.last_update", "s.status"])

    /// `/api/subscriptions`.
    public static let subscriptions = SortableColumns(["id": "id", "name": "name"], idColumn: "id")
}
