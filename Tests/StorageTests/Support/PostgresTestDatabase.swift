import Foundation
@testable import Storage
import Testing

/// The PostgreSQL server the tests use: `IP_TEST_POSTGRES_URL` (`postgresql://user@127.0.0.1:port/db`), set by
/// `scripts/test.sh` after it starts a throwaway server.
///
/// Every store gets a schema of its own, so tests running in parallel never see each other's rows; the whole
/// database is thrown away when the test run ends.
enum PostgresTestDatabase {
    static let environmentKey = "IP_TEST_POSTGRES_URL"

    static var url: String? {
        ProcessInfo.processInfo.environment[environmentKey].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether CI runs this (where a missing server must fail, not skip).
    static var isCI: Bool {
        ["true", "1", "yes"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")
    }

    /// Whether the PostgreSQL cases run: a server is named, or CI demands them.
    static var isRequested: Bool { url != nil || isCI }

    struct NotConfigured: Error, CustomStringConvertible {
        var description: String {
            "\(PostgresTestDatabase.environmentKey) is not set, so the PostgreSQL store cannot be tested. "
                + "Run scripts/test.sh, which starts a throwaway PostgreSQL, or set it to postgresql://user@host:port/db."
        }
    }

    /// A configuration for a new, empty schema (`schema` reuses one, to put two stores on the same tables).
    static func configuration(schema: String? = nil, poolSize: Int = 4) throws -> PostgresStoreConfiguration {
        guard let url else { throw NotConfigured() }
        var configuration = try PostgresStoreConfiguration(url: url, poolSize: poolSize)
        configuration.schema = schema ?? newSchemaName()
        return configuration
    }

    static func newSchemaName() -> String {
        "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}
