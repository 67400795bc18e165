import Foundation
import PostgresNIO

/// A postgres-nio error read for what an operator or a caller needs: a `StoreError` with text to act on, and
/// whether the connection is gone.
struct PostgresFailure: Error {
    let storeError: StoreError
    let isConnectionLost: Bool
    /// The server refused a statement prepared on this connection: its plan no longer fits the tables ("cached
    /// plan must not change result type", after another instance migrated the schema), or it is gone (a pooler
    /// between us and the server reset the session). A fresh connection prepares it anew.
    var invalidatesPreparedStatements = false

    init(_ error: any Error, _ configuration: PostgresStoreConfiguration) {
        if let error = error as? StoreError {
            storeError = error
            isConnectionLost = false
            return
        }
        guard let error = error as? PSQLError else {
            storeError = .database(String(describing: error))
            isConnectionLost = false
            return
        }
        if error.code == .server, let info = error.serverInfo {
            let message = info[.message] ?? "an error"
            let detail = info[.detail].map { " (\($0))" } ?? ""
            let stalePlan = (info[.sqlState] == "0A000" && message.contains("cached plan"))
                || info[.sqlState] == "26000"
            switch info[.sqlState] {
            case "23505":
                storeError = .duplicate(message + detail)
            case let state? where stalePlan:
                storeError = .unavailable("\(message) [SQLSTATE \(state)]: a statement prepared on this connection "
                    + "no longer fits the database (another instance may have changed the schema). The connection "
                    + "is replaced; try again.")
            case let state?:
                storeError = .database("\(message)\(detail) [SQLSTATE \(state)]")
            case nil:
                storeError = .database(message + detail)
            }
            // Only a server shutting down or a fatal error ends the session; the rest abort one transaction.
            isConnectionLost = info[.severity] == "FATAL" || info[.severity] == "PANIC"
            invalidatesPreparedStatements = stalePlan
            return
        }
        storeError = Self.unreachable(error, configuration)
        isConnectionLost = true
    }

    /// A failure to open a connection, told with where it tried and what to check.
    static func connecting(_ error: any Error, _ configuration: PostgresStoreConfiguration) -> StoreError {
        guard let psql = error as? PSQLError, psql.code == .server, let info = psql.serverInfo else {
            return unreachable(error, configuration)
        }
        let message = info[.message] ?? "an error"
        switch info[.sqlState] {
        case "28P01", "28000":
            return .database("PostgreSQL at \(configuration.host):\(configuration.port) refused user "
                + "'\(configuration.username)': \(message). Check difi.datasource.username and "
                + "difi.datasource.password, and that pg_hba.conf admits this host.")
        case "3D000":
            return .database("PostgreSQL at \(configuration.host):\(configuration.port) has no database "
                + "'\(configuration.database)': \(message). Create it (CREATE DATABASE \(configuration.database)) "
                + "or correct the name in difi.datasource.url.")
        case "53300":
            return .database("PostgreSQL at \(configuration.host):\(configuration.port) accepts no more "
                + "connections: \(message). Raise max_connections or lower the number of instances.")
        default:
            return .database("PostgreSQL at \(configuration.host):\(configuration.port) refused the connection to "
                + "database '\(configuration.database)': \(message) [SQLSTATE \(info[.sqlState] ?? "?")]")
        }
    }

    /// The server could not be reached, or the connection broke.
    static func unreachable(_ error: any Error, _ configuration: PostgresStoreConfiguration) -> StoreError {
        var reason = String(describing: error)
        if let psql = error as? PSQLError {
            reason = psql.underlying.map { String(describing: $0) } ?? psql.code.description
        }
        return .unavailable("cannot reach PostgreSQL at \(configuration.host):\(configuration.port) (database "
            + "'\(configuration.database)'): \(reason). Check that the server runs and listens on that address "
            + "(listen_addresses, port), that no firewall blocks it, and that host and port in "
            + "difi.datasource.url are right.")
    }
}
