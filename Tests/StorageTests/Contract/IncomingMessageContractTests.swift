import Foundation
import Storage
import Testing

@Suite("Contract: incoming messages and peek locks")
struct IncomingMessageContractTests {
    @Test(arguments: StoreBackend.allCases)
    func insertReadFindDelete(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let message = Fixture.incoming(1)
        try await store.write { tx in
            try tx.insertIncoming(message)
            try tx.insertIncoming(Fixture.incoming(2, service: .DPE))
        }
        #expect(try await store.read { try $0.incoming(messageId: Fixture.messageId(1)) } == message)
        #expect(try await store.read { try $0.countMessages(direction: .INCOMING) } == 2)

        var query = MessageQuery()
        query.serviceIdentifier = [.DPE]
        let found = try await store.read { [query] in try $0.findIncoming(query, page: PageRequest()) }
        #expect(found.content.map(\.messageId) == [Fixture.messageId(2)])
        #expect(found.totalElements == 1)

        await #expect(throws: StoreError.self) { try await store.write { try $0.insertIncoming(message) } }

        #expect(try await store.write { try $0.deleteIncoming(messageId: Fixture.messageId(1)) })
        #expect(try await store.write { try $0.deleteIncoming(messageId: Fixture.messageId(1)) } == false)
        #expect(try await store.read { try $0.incoming(messageId: Fixture.messageId(1)) } == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func aMessageCameInBeforeWhileItsMessageOrItsIncomingConversationIsThere(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let (one, two, three) = (Fixture.messageId(1), Fixture.messageId(2), Fixture.messageId(3))
        try await store.write { tx in
            try tx.insertIncoming(Fixture.incoming(1))
            _ = try tx.insertConversation(Fixture.conversation(2, direction: .INCOMING))
            _ = try tx.insertConversation(Fixture.conversation(3, direction: .OUTGOING))
        }
        #expect(try await store.read { try $0.receivedBefore(messageId: one) })
        #expect(try await store.read { try $0.receivedBefore(messageId: two) })
        // An outgoing conversation with the id is not a message received.
        #expect(try await store.read { try $0.receivedBefore(messageId: three) } == false)
        #expect(try await store.read { try $0.receivedBefore(messageId: "unknown") } == false)
    }

    @Test(arguments: StoreBackend.allCases)
    func lockTakesTheOldestUnlockedMatchAndReturnsItLocked(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { tx in
            try tx.insertIncoming(Fixture.incoming(1, at: 30))
            try tx.insertIncoming(Fixture.incoming(2, at: 10))
            try tx.insertIncoming(Fixture.incoming(3, receiver: "999999999", at: 5))
            try tx.insertIncoming(Fixture.incoming(4, at: 20))
        }
        let now = Clock.at(100), until = Clock.at(400)
        var query = MessageQuery()
        query.receiverIdentifier = ["910075918"]

        let first = try await store.write { [query] in try $0.lockNextIncoming(query, now: now, until: until) }
        #expect(first?.messageId == Fixture.messageId(2))
        #expect(first?.lockTimeout == until)
        #expect(first?.isLocked(at: now) == true)
        #expect(try await store.read { try $0.incoming(messageId: Fixture.messageId(2)) }?.lockTimeout == until)

        // The store's own call (one statement, without a transaction around it on PostgreSQL) locks the same way.
        let second = try await store.lockNextIncoming(query, now: now, until: until)
        let third = try await store.write { [query] in try $0.lockNextIncoming(query, now: now, until: until) }
        let none = try await store.lockNextIncoming(query, now: now, until: until)
        #expect(second?.messageId == Fixture.messageId(4))
        #expect(third?.messageId == Fixture.messageId(1))
        #expect(none == nil)

        // Locked messages are still listed.
        #expect(try await store.read { try $0.findIncoming(MessageQuery(), page: PageRequest()) }.totalElements == 4)
    }

    @Test(arguments: StoreBackend.allCases)
    func anExpiredLockCanBeTakenAgain(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { try $0.insertIncoming(Fixture.incoming(1)) }
        let q = MessageQuery()
        _ = try await store.write { try $0.lockNextIncoming(q, now: Clock.at(100), until: Clock.at(400)) }

        #expect(try await store.write { try $0.lockNextIncoming(q, now: Clock.at(399.999999), until: Clock.at(500)) }
            == nil)
        // A lock ending exactly now has expired.
        let again = try await store.write { try $0.lockNextIncoming(q, now: Clock.at(400), until: Clock.at(700)) }
        #expect(again?.messageId == Fixture.messageId(1))
        #expect(again?.lockTimeout == Clock.at(700))
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentPeeksNeverLockTheSameMessage(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { tx in for n in 1...20 { try tx.insertIncoming(Fixture.incoming(n)) } }
        let locked = try await withThrowingTaskGroup(of: String?.self) { group in
            for n in 0..<30 {
                group.addTask {
                    // Half through the store's own call (as a peek makes it), half inside a transaction.
                    if n.isMultiple(of: 2) {
                        return try await store.lockNextIncoming(MessageQuery(), now: Clock.at(100),
                                                                until: Clock.at(400))?.messageId
                    }
                    return try await store.write {
                        try $0.lockNextIncoming(MessageQuery(), now: Clock.at(100), until: Clock.at(400))?.messageId
                    }
                }
            }
            return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
        }
        #expect(locked.count == 20)
        #expect(Set(locked).count == 20)
    }
}
