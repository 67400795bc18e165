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
    /// The shared terms (`FilterTerms`), bound for SQLite.
    init(_ terms: FilterTerms) {
        guard !terms.clauses.isEmpty else { return }
        add(terms.clauses.joined(separator: " AND "), terms.values.map { value -> (any DatabaseValueConvertible)? in
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
}

extension StatementArguments {
    /// `LIMIT ? OFFSET ?` arguments of a page.
    static func page(_ request: PageRequest) -> StatementArguments {
        [max(request.size, 0), max(request.offset, 0)]
    }
}
