import Foundation
import Storage
import Testing

@Suite("Contract: transactions and stored values")
struct TransactionContractTests {
    struct Refused: Error {}

    @Test(arguments: StoreBackend.allCases)
    func aThrownErrorRollsBackEverythingInTheTransaction(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        await #expect(throws: Refused.self) {
            try await store.write { tx in
                try tx.insertOutgoing(Fixture.outgoing(1))
                let id = try tx.insertConversation(Fixture.conversation(1))
                _ = try tx.appendStatus(conversationId: id, status: .OPPRETTET, description: nil, rawReceipt: nil,
                                        at: Clock.at(1))
                _ = try tx.insertJob(OutboxJob(kind: .sendMessage, messageId: Fixture.messageId(1),
                                               createdAt: Clock.at(1), nextAttemptAt: Clock.at(1)))
                throw Refused()
            }
        }
        let left = try await store.read { tx in
            [try tx.outgoing(messageId: Fixture.messageId(1)) == nil ? 0 : 1,
             try tx.conversations(messageId: Fixture.messageId(1)).count,
             try tx.findStatuses(StatusQuery(), page: PageRequest()).totalElements,
             try tx.countJobs()]
        }
        #expect(left == [0, 0, 0, 0])
    }

    @Test(arguments: StoreBackend.allCases)
    func aDuplicateInsideATransactionRollsBackItsEarlierWrites(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { try $0.insertOutgoing(Fixture.outgoing(1)) }
        await #expect(throws: StoreError.self) {
            try await store.write { tx in
                _ = try tx.insertJob(OutboxJob(kind: .sendMessage, messageId: Fixture.messageId(1),
                                               createdAt: Clock.at(1), nextAttemptAt: Clock.at(1)))
                try tx.insertOutgoing(Fixture.outgoing(1))
            }
        }
        #expect(try await store.read { try $0.countJobs() } == 0)
    }

    /// Many writers at once (the embedded store then commits them together): each one's changes are all there or,
    /// when it threw or clashed, none of them, and the others are untouched.
    @Test(arguments: StoreBackend.allCases)
    func concurrentWritersCommitOrRollBackEachOnItsOwn(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { try $0.insertOutgoing(Fixture.outgoing(0)) }
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 1...60 {
                group.addTask {
                    do {
                        try await store.write { tx in
                            try tx.insertOutgoing(Fixture.outgoing(n))
                            _ = try tx.insertJob(OutboxJob(kind: .sendMessage, messageId: Fixture.messageId(n),
                                                           createdAt: Clock.at(1), nextAttemptAt: Clock.at(1)))
                            if n % 7 == 0 { throw Refused() }
                            if n % 11 == 0 { try tx.insertOutgoing(Fixture.outgoing(0)) }  // a duplicate
                        }
                        return (n, true)
                    } catch {
                        return (n, false)
                    }
                }
            }
            var all: [Int: Bool] = [:]
            for await (n, committed) in group { all[n] = committed }
            return all
        }
        let expected = Dictionary(uniqueKeysWithValues: (1...60).map { ($0, $0 % 7 != 0 && $0 % 11 != 0) })
        #expect(outcomes == expected)
        let stored = try await store.read { tx in
            try (1...60).filter { try tx.outgoing(messageId: Fixture.messageId($0)) != nil }
        }
        #expect(stored == (1...60).filter { expected[$0]! })
        #expect(try await store.read { try $0.countJobs() } == stored.count)
    }

    @Test(arguments: StoreBackend.allCases)
    func instantsRoundTripToTheMicrosecond(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let instants = [
            Date(microsecondsSince1970: 1_553_514_303_123_456),
            Date(microsecondsSince1970: 1),
            Date(microsecondsSince1970: -1_000_001),
            Date(microsecondsSince1970: 4_102_444_799_999_999),
        ]
        for (n, instant) in instants.enumerated() {
            var message = Fixture.incoming(n)
            message.lastUpdated = instant
            message.lockTimeout = instant
            try await store.write { [message] in try $0.insertIncoming(message) }
            let read = try await store.read { try $0.incoming(messageId: Fixture.messageId(n)) }
            #expect(read?.lastUpdated == instant)
            #expect(read?.lockTimeout == instant)
        }
        // An instant finer than a microsecond comes back rounded to the nearest one.
        let fine = Date(timeIntervalSinceReferenceDate: 575_207_103.123_456_3)
        var message = Fixture.incoming(99)
        message.lastUpdated = fine
        try await store.write { [message] in try $0.insertIncoming(message) }
        let read = try await store.read { try $0.incoming(messageId: Fixture.messageId(99)) }
        #expect(read?.lastUpdated.microsecondsSince1970 == 1_553_514_303_123_456)
    }

    @Test(arguments: StoreBackend.allCases)
    func readSeesCommittedWritesAndPingAnswers(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        #expect(await store.ping())
        try await store.write { try $0.insertIncoming(Fixture.incoming(1)) }
        #expect(try await store.read { try $0.countMessages(direction: .INCOMING) } == 1)
    }
}
