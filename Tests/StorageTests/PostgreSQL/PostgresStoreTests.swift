import Foundation
@testable import Storage
import Testing

@Suite("PostgreSQL: configuration")
struct PostgresConfigurationTests {
    @Test func theServerIsThereWhenCIRuns() {
        if PostgresTestDatabase.isCI && PostgresTestDatabase.url == nil {
            let text = "CI=true but \(PostgresTestDatabase.environmentKey) is not set: the PostgreSQL store was "
                + "not tested. Run the tests through scripts/test.sh, which starts a throwaway PostgreSQL."
            Issue.record("\(text)")
        }
    }

    @Test func readsTheJDBCForm() throws {
        let configuration = try PostgresStoreConfiguration(
            url: "jdbc:postgresql://db.example.no:5433/ip?currentSchema=eformidling", username: "ip", password: "s3cret")
        #expect(configuration.host == "db.example.no")
        #expect(configuration.port == 5433)
        #expect(configuration.database == "ip")
        #expect(configuration.username == "ip")
        #expect(configuration.password == "s3cret")
        #expect(configuration.schema == "eformidling")
    }

    @Test func readsTheLibpqFormWithCredentialsAndDefaults() throws {
        let withCredentials = try PostgresStoreConfiguration(url: "postgresql://ip:p%40ss@10.0.0.5/integrasjonspunkt")
        #expect(withCredentials.host == "10.0.0.5")
        #expect(withCredentials.port == 5432)
        #expect(withCredentials.username == "ip")
        #expect(withCredentials.password == "p@ss")
        #expect(withCredentials.schema == nil)
        // Separately configured credentials win over the URL's.
        let overridden = try PostgresStoreConfiguration(url: "postgres://ip:old@h:1/db", username: "u", password: "new")
        #expect(overridden.username == "u")
        #expect(overridden.password == "new")
    }

    @Test func aBadURLSaysHowToWriteIt() {
        for bad in ["jdbc:postgresql://host:5432/", "postgresql:///db", "mysql://h/db"] {
            #expect {
                _ = try PostgresStoreConfiguration(url: bad)
            } throws: { error in
                "\(error)".contains("jdbc:postgresql://")
            }
        }
    }

    @Test func anUnreachableServerIsReportedWithHostPortAndWhatToCheck() async throws {
        // A port on loopback that nothing listens on: bind one, note it, close it.
        let port = try freeLoopbackPort()
        let configuration = PostgresStoreConfiguration(host: "127.0.0.1", port: port, database: "ip",
                                                       username: "ip", connectTimeout: .seconds(2))
        await #expect {
            _ = try await PostgresMessageStore(configuration: configuration)
        } throws: { error in
            let text = "\(error)"
            return text.contains("127.0.0.1:\(port)") && text.contains("difi.datasource.url")
                && text.contains("listen")
        }
    }

    private func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw StoreError.database("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

@Suite("PostgreSQL: several instances on one database", .enabled(if: PostgresTestDatabase.isRequested))
struct PostgresSharedDatabaseTests {
    @Test func instancesStartingTogetherMigrateOnce() async throws {
        let schema = PostgresTestDatabase.newSchemaName()
        let stores = try await withThrowingTaskGroup(of: PostgresMessageStore.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for store in stores {
            #expect(try await store.appliedMigrations() == PostgresSchema.migrationNames)
        }
    }

    @Test func twoInstancesClaimingTwoHundredJobsNeverShareOne() async throws {
        let schema = PostgresTestDatabase.newSchemaName()
        let first = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        let second = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        try await first.write { tx in
            for n in 1...200 {
                _ = try tx.insertJob(OutboxJob(kind: .sendMessage, messageId: Fixture.messageId(n),
                                               createdAt: Clock.at(0), nextAttemptAt: Clock.at(Double(n % 7))))
            }
        }
        let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (index, store) in [first, second, first, second, first, second].enumerated() {
                group.addTask {
                    var mine: [Int64] = []
                    while true {
                        let batch = try await store.write {
                            try $0.claimDueJobs(limit: 5, now: Clock.at(10), leaseUntil: Clock.at(70),
                                                owner: "instance-\(index % 2)-worker-\(index)")
                        }
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                    }
                }
            }
            return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
        }
        let all = claims.flatMap { $0 }
        #expect(all.count == 200)
        #expect(Set(all).count == 200)
        // Both instances did some of the work.
        #expect(claims.filter { !$0.isEmpty }.count > 1)
        // Each job carries the lease of the worker that got it.
        let leased = try await second.read { tx in
            try (1...200).flatMap { try tx.jobs(messageId: Fixture.messageId($0)) }
        }
        #expect(leased.allSatisfy { $0.leaseOwner != nil && $0.leaseUntil == Clock.at(70) })
    }

    @Test func twoInstancesPeekingNeverLockTheSameMessage() async throws {
        let schema = PostgresTestDatabase.newSchemaName()
        let first = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        let second = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        try await first.write { tx in for n in 1...40 { try tx.insertIncoming(Fixture.incoming(n)) } }
        let locked = try await withThrowingTaskGroup(of: [String].self) { group in
            for store in [first, second, first, second] {
                group.addTask {
                    var mine: [String] = []
                    while let message = try await store.write({
                        try $0.lockNextIncoming(MessageQuery(), now: Clock.at(100), until: Clock.at(400))
                    }) {
                        mine.append(message.messageId)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        let all = locked.flatMap { $0 }
        #expect(all.count == 40)
        #expect(Set(all).count == 40)
    }

    @Test func aLeaseRenewedByItsOwnerOnlyAndTakenOverAfterExpiry() async throws {
        let schema = PostgresTestDatabase.newSchemaName()
        let first = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        let second = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        let id = try await first.write {
            try $0.insertJob(OutboxJob(kind: .sendMessage, messageId: "m", createdAt: Clock.at(0),
                                       nextAttemptAt: Clock.at(0)))
        }
        #expect(try await first.write { try $0.claimDueJobs(limit: 1, now: Clock.at(1), leaseUntil: Clock.at(31),
                                                            owner: "a") }.map(\.id) == [id])
        #expect(try await second.write { try $0.renewLease(jobId: id, owner: "b", until: Clock.at(61)) } == false)
        #expect(try await first.write { try $0.renewLease(jobId: id, owner: "a", until: Clock.at(61)) })
        #expect(try await second.write { try $0.claimDueJobs(limit: 1, now: Clock.at(40), leaseUntil: Clock.at(70),
                                                             owner: "b") }.isEmpty)
        // Instance a was killed: after its lease ran out, b takes the job over, and a can no longer renew.
        #expect(try await second.write { try $0.claimDueJobs(limit: 1, now: Clock.at(61), leaseUntil: Clock.at(91),
                                                             owner: "b") }.map(\.id) == [id])
        #expect(try await first.write { try $0.renewLease(jobId: id, owner: "a", until: Clock.at(120)) } == false)
    }

    @Test func aPayloadWrittenThroughOneInstanceIsReadThroughTheOther() async throws {
        let schema = PostgresTestDatabase.newSchemaName()
        let first = try await PostgresPayloadStore(
            store: PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema)),
            rowSize: 10_000)
        let second = try await PostgresPayloadStore(
            store: PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema)),
            rowSize: 10_000)
        let bytes = PatternBytes.bytes(123_457)
        #expect(try await first.write(messageId: "m", key: "asic.zip", bytes: bytes, chunkSize: 4_000) == 123_457)
        #expect(try await second.readAll(messageId: "m", key: "asic.zip", chunkSize: 3_000).bytes == bytes)
    }

    @Test func anUnfinishedWriteOfAnotherInstanceSurvivesOpeningAndAnAbandonedOneIsRemoved() async throws {
        let schema = PostgresTestDatabase.newSchemaName()
        let store = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        let now = Date().microsecondsSince1970
        try await store.connections.withConnection { session in
            try session.execute("""
                INSERT INTO payload (message_id, key, size, complete, touched_at)
                VALUES ('m', 'running', 0, FALSE, ?), ('m', 'abandoned', 0, FALSE, ?)
                """, [now, now - 2 * 3_600_000_000])
        }
        _ = try await PostgresPayloadStore(store: store, abandonedAfter: .seconds(3600))
        let left = try await store.connections.withConnection { session in
            try session.rows("SELECT key FROM payload ORDER BY key").map { try $0.string("key") }
        }
        #expect(left == ["running"])
    }
}
