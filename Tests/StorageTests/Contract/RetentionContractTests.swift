import Foundation
import Storage
import Testing

@Suite("Contract: retention")
struct RetentionContractTests {
    /// Inserts conversation `n`, last updated at `seconds`, with two statuses (one queued for peek).
    private func insert(_ n: Int, finished: Bool, at seconds: Double, in store: any MessageStore,
                        direction: ConversationDirection = .OUTGOING) async throws -> Int64 {
        try await store.write { tx in
            var conversation = Fixture.conversation(n, direction: direction, at: seconds)
            conversation.finished = finished
            let id = try tx.insertConversation(conversation)
            _ = try tx.appendStatus(conversationId: id, status: .OPPRETTET, description: nil, rawReceipt: nil,
                                    at: Clock.at(seconds))
            let last = try tx.appendStatus(conversationId: id, status: finished ? .LEVERT : .SENDT, description: nil,
                                           rawReceipt: nil, at: Clock.at(seconds))
            try tx.enqueueStatusEvent(statusId: last.id)
            return id
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func deletesOnlyFinishedConversationsOlderThanTheCutoff(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let oldFinished = try await insert(1, finished: true, at: 10, in: store)
        let oldUnfinished = try await insert(2, finished: false, at: 5, in: store)
        let newFinished = try await insert(3, finished: true, at: 100, in: store)
        let atCutoff = try await insert(4, finished: true, at: 50, in: store)

        #expect(try await store.read { try $0.oldestConversationUpdate() } == Clock.at(5))
        let deleted = try await store.write { try $0.deleteFinishedConversations(lastUpdateBefore: Clock.at(50), limit: 100) }
        #expect(deleted == 1)
        #expect(try await store.read { try $0.conversation(id: oldFinished) } == nil)
        for kept in [oldUnfinished, newFinished, atCutoff] {
            #expect(try await store.read { try $0.conversation(id: kept) }?.messageStatuses.count == 2)
        }
        var query = StatusQuery()
        query.messageId = [Fixture.messageId(1)]
        let statuses = try await store.read { [query] tx in try tx.findStatuses(query, page: PageRequest()) }
        #expect(statuses.totalElements == 0)
        // The queued status of the deleted conversation is gone from the peek queue; the others stay.
        var queued: [String] = []
        while let next = try await store.write({ tx -> MessageStatus? in
            guard let status = try tx.oldestQueuedStatus() else { return nil }
            try tx.removeQueuedStatus(statusId: status.id)
            return status
        }) { queued.append(next.messageId) }
        #expect(Set(queued) == Set([2, 3, 4].map(Fixture.messageId)))
        #expect(try await store.read { try $0.oldestConversationUpdate() } == Clock.at(5))
    }

    @Test(arguments: StoreBackend.allCases)
    func keepsAFinishedConversationWhoseMessageIsStillStored(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let id = try await insert(1, finished: true, at: 10, in: store, direction: .INCOMING)
        try await store.write { try $0.insertIncoming(Fixture.incoming(1)) }
        #expect(try await store.write { try $0.deleteFinishedConversations(lastUpdateBefore: Clock.at(50), limit: 10) } == 0)
        _ = try await store.write { try $0.deleteIncoming(messageId: Fixture.messageId(1)) }
        #expect(try await store.write { try $0.deleteFinishedConversations(lastUpdateBefore: Clock.at(50), limit: 10) } == 1)
        #expect(try await store.read { try $0.conversation(id: id) } == nil)
        #expect(try await store.read { try $0.oldestConversationUpdate() } == nil)
    }

    /// Finished conversations whose messages are still stored, older than the rest and more than a sweep takes, do not
    /// hold the sweep up: they are passed over, not taken and skipped.
    @Test(arguments: StoreBackend.allCases)
    func conversationsKeptForTheirMessageDoNotHoldTheSweepUp(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        for n in 1...3 {
            _ = try await insert(n, finished: true, at: Double(n), in: store, direction: .INCOMING)
            try await store.write { try $0.insertIncoming(Fixture.incoming(n)) }
        }
        let removable = try await insert(4, finished: true, at: 10, in: store)
        #expect(try await store.write { try $0.deleteFinishedConversations(lastUpdateBefore: Clock.at(50), limit: 2) } == 1)
        #expect(try await store.read { try $0.conversation(id: removable) } == nil)
        #expect(try await store.read { try $0.oldestConversationUpdate() } == Clock.at(1))
    }

    @Test(arguments: StoreBackend.allCases)
    func anExpiredOutgoingMessageGoesWithItsConversation(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let expired = try await insert(1, finished: true, at: 10, in: store)
        let created = try await insert(2, finished: true, at: 10, in: store)
        // The same messageId in both directions: the expired message stays while either conversation does.
        let outgoingTwin = try await insert(3, finished: true, at: 10, in: store)
        let incomingTwin = try await insert(3, finished: true, at: 60, in: store, direction: .INCOMING)
        try await store.write { tx in
            for n in [1, 2, 3] { try tx.insertOutgoing(Fixture.outgoing(n)) }
            try tx.expireOutgoing(messageId: Fixture.messageId(1), at: Clock.at(10))
            try tx.expireOutgoing(messageId: Fixture.messageId(3), at: Clock.at(10))
        }
        #expect(try await store.write { try $0.deleteFinishedConversations(lastUpdateBefore: Clock.at(50), limit: 10) } == 2)
        #expect(try await store.read { try $0.conversation(id: expired) } == nil)
        #expect(try await store.read { try $0.outgoing(messageId: Fixture.messageId(1)) } == nil)
        #expect(try await store.read { try $0.conversation(id: created) } != nil, "a message not expired still holds it")
        #expect(try await store.read { try $0.outgoing(messageId: Fixture.messageId(2)) }?.state == .created)
        #expect(try await store.read { try $0.conversation(id: outgoingTwin) } == nil)
        #expect(try await store.read { try $0.conversation(id: incomingTwin) } != nil)
        #expect(try await store.read { try $0.outgoing(messageId: Fixture.messageId(3)) }?.state == .expired)

        #expect(try await store.write { try $0.deleteFinishedConversations(lastUpdateBefore: Clock.at(100), limit: 10) } == 1)
        #expect(try await store.read { try $0.outgoing(messageId: Fixture.messageId(3)) } == nil)
        #expect(try await store.read { try $0.countMessages(direction: .OUTGOING) } == 1)
    }

    @Test(arguments: StoreBackend.allCases)
    func deletesAtMostTheLimitOldestFirst(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        for n in 1...5 { _ = try await insert(n, finished: true, at: Double(6 - n), in: store) }
        #expect(try await store.write { try $0.deleteFinishedConversations(lastUpdateBefore: Clock.at(100), limit: 2) } == 2)
        let left = try await store.read { try $0.findConversations(ConversationQuery(), page: PageRequest()) }
        #expect(Set(left.content.map(\.messageId)) == Set([1, 2, 3].map(Fixture.messageId)))
        #expect(try await store.read { try $0.oldestConversationUpdate() } == Clock.at(3))
    }
}
