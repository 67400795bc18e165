import GRDB

/// SQLite's errors as `StoreError`, so that callers of the store never see GRDB types.
extension StoreError {
    init(_ error: DatabaseError) {
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            self = .duplicate(error.message ?? error.description)
        default:
            self = .database(error.message ?? error.description)
        }
    }
}

/// Runs `body`, turning a `DatabaseError` into a `StoreError`.
func translatingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as DatabaseError {
        throw StoreError(error)
    }
}

/// Runs `body`, turning a `DatabaseError` into a `StoreError`.
func translatingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as DatabaseError {
        throw StoreError(error)
    }
}
