import Foundation
import Storage
import Testing

@Suite("Contract: outbox jobs under leases")
struct OutboxContractTests {
    private func job(_ n: Int, due seconds: Double, kind: OutboxJob.Kind = .sendMessage) -> OutboxJob {
        OutboxJob(kind: kind, messageId: Fixture.messageId(n), payload: kind == .sendStatus ? #"{"s":1}"# : nil,
                  createdAt: Clock.at(seconds - 1), nextAttemptAt: Clock.at(seconds))
    }

    @Test(arguments: StoreBackend.allCases)
    func insertListCountDelete(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        #expect(try await store.read { try $0.oldestJobCreatedAt() } == nil)
        var stored = [job(1, due: 10), job(1, due: 5, kind: .sendStatus), job(2, due: 7)]
        let ids = try await store.write { [stored] tx in try stored.map { try tx.insertJob($0) } }
        for index in stored.indices { stored[index].id = ids[index] }

        #expect(try await store.read { try $0.jobs(messageId: Fixture.messageId(1)) } == [stored[0], stored[1]])
        #expect(try await store.read { try $0.countJobs() } == 3)
        #expect(try await store.read { try $0.oldestJobCreatedAt() } == Clock.at(4))
        #expect(try await store.write { try $0.deleteJob(id: ids[1]) })
        #expect(try await store.write { try $0.deleteJob(id: ids[1]) } == false)
        // The store's own call (one statement, without a transaction around it on PostgreSQL) does the same.
        #expect(try await store.deleteJob(id: ids[1]) == false)
        #expect(try await store.read { try $0.countJobs() } == 2)
        #expect(try await store.read { try $0.oldestJobCreatedAt() } == Clock.at(6))
    }

    @Test(arguments: StoreBackend.allCases)
    func claimTakesDueJobsInDueOrderAndLeasesThem(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let ids = try await store.write { tx in
            try [job(1, due: 30), job(2, due: 10), job(3, due: 20), job(4, due: 100.000001)].map { try tx.insertJob($0) }
        }
        let now = Clock.at(100), lease = Clock.at(160)
        let claimed = try await store.write { try $0.claimDueJobs(limit: 2, now: now, leaseUntil: lease, owner: "w1") }
        #expect(claimed.map(\.id) == [ids[1], ids[2]])
        #expect(claimed.allSatisfy { $0.leaseOwner == "w1" && $0.leaseUntil == lease })

        // The store's own call (one statement, without a transaction around it on PostgreSQL) claims the same way.
        let rest = try await store.claimDueJobs(limit: 10, now: now, leaseUntil: lease, owner: "w2")
        #expect(rest.map(\.id) == [ids[0]])
        #expect(rest.allSatisfy { $0.leaseOwner == "w2" && $0.leaseUntil == lease })
        #expect(try await store.write { try $0.claimDueJobs(limit: 10, now: now, leaseUntil: lease, owner: "w3") }
            .isEmpty)
        #expect(try await store.claimDueJobs(limit: 10, now: now, leaseUntil: lease, owner: "w3").isEmpty)

        // Leases run out: everything due is claimable again, including the job that has become due meanwhile.
        let later = try await store.claimDueJobs(limit: 10, now: Clock.at(160), leaseUntil: Clock.at(220), owner: "w4")
        #expect(later.map(\.id) == [ids[1], ids[2], ids[0], ids[3]])
        #expect(try await store.deleteJob(id: ids[3]))
        #expect(try await store.read { try $0.countJobs() } == 3)
    }

    /// A receiver's MOTTATT and LEVERT receipts for one message are two jobs of one kind; claimed together they
    /// raced, and the sender now and then recorded LEVERT first.
    @Test(arguments: StoreBackend.allCases)
    func aMessagesJobsOfOneKindAreClaimedOneAtATimeInTheOrderQueued(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        // The younger job of message 1 is due first; message 2 is another message.
        let ids = try await store.write { tx in
            try [job(1, due: 10, kind: .sendStatus), job(1, due: 5, kind: .sendStatus), job(2, due: 20),
                 job(1, due: 30, kind: .deliverToArchive)]
                .map { try tx.insertJob($0) }
        }
        func claim(at seconds: Double, owner: String) async throws -> [Int64?] {
            try await store.claimDueJobs(limit: 10, now: Clock.at(seconds), leaseUntil: Clock.at(seconds + 60),
                                         owner: owner).map(\.id)
        }
        // Another kind of job of the same message (the push to the archive system) does not wait.
        #expect(try await claim(at: 100, owner: "w1") == [ids[0], ids[2], ids[3]])
        #expect(try await store.deleteJob(id: ids[3]))
        // Leased by another worker, the older job still holds its message's next one back.
        #expect(try await claim(at: 101, owner: "w2").isEmpty)
        // So does an older job waiting for a retry, and one whose lease ran out.
        try await store.write { try $0.rescheduleJob(id: ids[0], attempts: 1, nextAttemptAt: Clock.at(300), lastError: "x") }
        #expect(try await claim(at: 200, owner: "w3") == [ids[2]])
        #expect(try await store.deleteJob(id: ids[2]))
        #expect(try await claim(at: 300, owner: "w4") == [ids[0]])
        #expect(try await claim(at: 361, owner: "w5") == [ids[0]])
        // Done: the next job of the message is claimable.
        #expect(try await store.deleteJob(id: ids[0]))
        #expect(try await claim(at: 362, owner: "w6") == [ids[1]])
    }

    @Test(arguments: StoreBackend.allCases)
    func rescheduleReleasesTheLeaseAndRecordsTheAttempt(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let id = try await store.write { try $0.insertJob(job(1, due: 10)) }
        _ = try await store.write { try $0.claimDueJobs(limit: 1, now: Clock.at(10), leaseUntil: Clock.at(70), owner: "w") }
        try await store.write {
            try $0.rescheduleJob(id: id, attempts: 1, nextAttemptAt: Clock.at(40), lastError: "503 from broker")
        }
        let stored = try await store.read { try $0.jobs(messageId: Fixture.messageId(1)) }.first
        #expect(stored?.attempts == 1)
        #expect(stored?.nextAttemptAt == Clock.at(40))
        #expect(stored?.lastError == "503 from broker")
        #expect(stored?.leaseOwner == nil)
        #expect(stored?.leaseUntil == nil)
        #expect(try await store.write { try $0.claimDueJobs(limit: 1, now: Clock.at(39), leaseUntil: Clock.at(99), owner: "w") }
            .isEmpty)
        #expect(try await store.write { try $0.claimDueJobs(limit: 1, now: Clock.at(40), leaseUntil: Clock.at(99), owner: "w") }
            .map(\.id) == [id])
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentClaimersNeverShareAJob(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { tx in for n in 1...60 { _ = try tx.insertJob(job(n, due: 1)) } }
        let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var mine: [Int64] = []
                    while true {
                        let batch = try await store.write {
                            try $0.claimDueJobs(limit: 3, now: Clock.at(10), leaseUntil: Clock.at(70), owner: "w\(worker)")
                        }
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                    }
                }
            }
            return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
        }
        let all = claims.flatMap { $0 }
        #expect(all.count == 60)
        #expect(Set(all).count == 60)
    }
}
