import Foundation
import GRDB

/// Decoding of stored values, failing loudly on a value the code never writes.
extension Row {
    func date(_ column: String) -> Date {
        Date(microsecondsSince1970: self[column])
    }

    func optionalDate(_ column: String) -> Date? {
        (self[column] as Int64?).map(Date.init(microsecondsSince1970:))
    }

    /// An enum stored by its name.
    func named<E: RawRepresentable>(_ column: String, as type: E.Type = E.self) throws -> E where E.RawValue == String {
        let name: String = self[column]
        guard let value = E(rawValue: name) else {
            throw StoreError.database("column \(column) holds '\(name)', which is not a \(E.self)")
        }
        return value
    }
}

extension Optional where Wrapped == Date {
    /// The stored form of an optional instant.
    var stored: Int64? { self?.microsecondsSince1970 }
}
