import Foundation
import NIOCore
import PostgresNIO

/// A value that can travel as a statement parameter. Values never go into the SQL text.
protocol PostgresArgument {
    func bind(to bindings: inout PostgresBindings)
    /// One letter for the PostgreSQL type it binds as (`n` for NULL, whose type the server infers).
    var typeCode: Character { get }
}

extension String: PostgresArgument {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
    var typeCode: Character { "t" }
}

extension Int64: PostgresArgument {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
    var typeCode: Character { "i" }
}

extension Int: PostgresArgument {
    func bind(to bindings: inout PostgresBindings) { bindings.append(Int64(self)) }
    var typeCode: Character { "i" }
}

extension Bool: PostgresArgument {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
    var typeCode: Character { "b" }
}

extension ByteBuffer: PostgresArgument {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
    var typeCode: Character { "y" }
}

extension Optional: PostgresArgument where Wrapped: PostgresArgument {
    func bind(to bindings: inout PostgresBindings) {
        switch self {
        case .some(let value): value.bind(to: &bindings)
        case .none: bindings.appendNull()
        }
    }

    var typeCode: Character { self?.typeCode ?? "n" }
}

extension PostgresQuery {
    /// `sql` with its `?` placeholders (outside quoted literals) numbered `$1, $2, …` and bound to `arguments`.
    ///
    /// The store's SQL is written with `?`, as on SQLite, so both backends read alike.
    static func numbering(_ sql: String, _ arguments: [any PostgresArgument]) -> PostgresQuery {
        let text = numbered(sql, expecting: arguments.count)
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments { argument.bind(to: &bindings) }
        return PostgresQuery(unsafeSQL: text, binds: bindings)
    }

    /// `sql` with its `?` placeholders (outside quoted literals) numbered `$1, $2, …`; there must be `count`.
    static func numbered(_ sql: String, expecting count: Int) -> String {
        var text = ""
        text.reserveCapacity(sql.utf8.count + count * 2)
        var number = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                number += 1
                text += "$\(number)"
            } else {
                text.append(character)
            }
        }
        precondition(number == count, "\(number) placeholders but \(count) arguments in: \(sql)")
        return text
    }
}

/// Decoding of stored values, failing loudly on a value the code never writes.
extension PostgresRandomAccessRow {
    func string(_ column: String) throws -> String { try self[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    func int64(_ column: String) throws -> Int64 { try self[column].decode(Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try self[column].decode(Int64?.self) }
    func int(_ column: String) throws -> Int { Int(try int64(column)) }
    func bool(_ column: String) throws -> Bool { try self[column].decode(Bool.self) }
    func date(_ column: String) throws -> Date { Date(microsecondsSince1970: try int64(column)) }
    func optionalDate(_ column: String) throws -> Date? {
        try optionalInt64(column).map(Date.init(microsecondsSince1970:))
    }

    /// An enum stored by its name.
    func named<E: RawRepresentable>(_ column: String, as type: E.Type = E.self) throws -> E where E.RawValue == String {
        let name = try string(column)
        guard let value = E(rawValue: name) else {
            throw StoreError.database("column \(column) holds '\(name)', which is not a \(E.self)")
        }
        return value
    }
}
