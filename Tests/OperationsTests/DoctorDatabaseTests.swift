import Foundation
@testable import Operations
import Storage
import Testing

/// Doctor's database check: reachable, credentials taken, migrations current — on both stores, without changing
/// them.
@Suite("doctor: the database")
struct DoctorDatabaseTests {
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["IP_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func anEmbeddedStoreWithCurrentMigrationsPassesAndOneFromANewerVersionFails() async throws {
        let path = try folder().appendingPathComponent("integrasjonspunkt.sqlite").path
        let store = try SQLiteMessageStore(path: path)
        try await store.write { tx in try tx.insertOutgoing(OutgoingMessageRecord(
            messageId: "m", conversationId: "c", processIdentifier: nil, receiverIdentifier: nil,
            senderIdentifier: nil, serviceIdentifier: .DPO, sbd: "{}", createdAt: Date(), lastUpdated: Date())) }
        let good = Doctor().checkEmbeddedDatabase(path: path)
        #expect(good.result == .pass, "\(good)")
        #expect(good.detail.contains("migrations current") && good.detail.contains("1 outgoing"), "\(good.detail)")

        let inspection = try StoreInspection.sqlite(path: path)
        var newer = inspection
        newer.applied.append("v99-from-the-future")
        let judged = Doctor.judge(newer, what: "SQLite x")
        #expect(judged.result == .fail && judged.detail.contains("v99-from-the-future"), "\(judged)")
        var older = inspection
        older.applied.removeLast()
        #expect(Doctor.judge(older, what: "SQLite x").result == .warn)
    }

    @Test func anUnreachablePostgreSQLFailsWithHostPortAndWhatToCheck() async throws {
        let port = try closedTCPPort()
        let finding = await Doctor().checkPostgres(url: "jdbc:postgresql://127.0.0.1:\(port)/ip", username: "ip",
                                                   password: nil)
        #expect(finding.result == .fail)
        #expect(finding.detail.contains("127.0.0.1:\(port)") && finding.detail.contains("difi.datasource.url"),
                "\(finding.detail)")
    }

    @Test(.enabled(if: postgresURL != nil))
    func aPostgreSQLDatabaseIsCheckedWithoutBeingChanged() async throws {
        let schema = "doctor_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let url = try #require(Self.postgresURL) + "?currentSchema=\(schema)"
        let empty = await Doctor().checkPostgres(url: url, username: nil, password: nil)
        #expect(empty.result == .pass && empty.detail.contains("empty"), "\(empty)")
        // Checking created nothing: still empty.
        #expect(await Doctor().checkPostgres(url: url, username: nil, password: nil).detail.contains("empty"))

        _ = try await PostgresMessageStore(configuration: PostgresStoreConfiguration(url: url))
        let current = await Doctor().checkPostgres(url: url, username: nil, password: nil)
        #expect(current.result == .pass && current.detail.contains("migrations current"), "\(current)")

        let server = try #require(Self.postgresURL)
        var wrongDatabase = try #require(URLComponents(string: server))
        wrongDatabase.path = "/no_such_database_here"
        let missing = await Doctor().checkPostgres(url: wrongDatabase.string!, username: nil, password: nil)
        #expect(missing.result == .fail && missing.detail.contains("no_such_database_here"), "\(missing)")
    }
}
