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
    /// The shared terms (`FilterTerms`), bound for PostgreSQL.
    init(_ terms: FilterTerms) {
        guard !terms.clauses.isEmpty else { return }
        add(terms.clauses.joined(separator: " AND "), terms.values.map { value -> any PostgresArgument in
            switch value {
            case .text(let text): text
            case .integer(let number): number
            case .flag(let flag): flag
            }
        })
    }

    /// The filters shared by outgoing and incoming message lists.
    init(_ query: MessageQuery) {
        self.init(FilterTerms(query))
    }

    /// The filters of `/api/statuses`.
    init(_ query: StatusQuery) {
        self.init(FilterTerms(query))
    }

    /// The filters of `/api/conversations`.
    init(_ query: ConversationQuery) {
        self.init(FilterTerms(query) { text in
            // `search_text` holds the searchable columns lowercased by Swift, split by a character no pattern holds.
            let needle = text.replacingOccurrences(of: PostgresTransaction.searchSeparator, with: "")
            return ("search_text LIKE ? ESCAPE '\\'", [.text("%" + FilterTerms.escapingLike(needle) + "%")])
        })
    }
}
