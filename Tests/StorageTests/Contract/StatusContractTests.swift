import Foundation
import Storage
import Testing

@Suite("Contract: status history and the status queue")
struct StatusContractTests {
    /// Two conversations: messageId 1 with OPPRETTET(1s), SENDT(2s), LEVERT(3s); messageId 2 with OPPRETTET(4s).
    private func seeded(_ backend: StoreBackend) async throws -> (any MessageStore, [MessageStatus]) {
        let store = try await backend.makeStore()
        let statuses = try await store.write { tx in
            let a = try tx.insertConversation(Fixture.conversation(1))
            let b = try tx.insertConversation(Fixture.conversation(2, direction: .INCOMING))
            return [
                try tx.appendStatus(conversationId: a, status: .OPPRETTET, description: nil, rawReceipt: nil,
                                    at: Clock.at(1)),
                try tx.appendStatus(conversationId: a, status: .SENDT, description: "Sendt", rawReceipt: nil,
                                    at: Clock.at(2)),
                try tx.appendStatus(conversationId: a, status: .LEVERT, description: nil, rawReceipt: "<kvittering/>",
                                    at: Clock.at(3)),
                try tx.appendStatus(conversationId: b, status: .OPPRETTET, description: nil, rawReceipt: nil,
                                    at: Clock.at(4)),
            ]
        }
        return (store, statuses)
    }

    @Test(arguments: StoreBackend.allCases)
    func appendReturnsTheStoredRowWithItsConversation(backend: StoreBackend) async throws {
        let (_, statuses) = try await seeded(backend)
        #expect(statuses.map(\.id) == statuses.map(\.id).sorted())
        #expect(Set(statuses.map(\.id)).count == 4)
        let sent = statuses[1]
        #expect(sent.status == .SENDT)
        #expect(sent.description == "Sendt")
        #expect(sent.lastUpdate == Clock.at(2))
        #expect(sent.messageId == Fixture.messageId(1))
        #expect(sent.conversationId == "conv-1")
        #expect(statuses[2].rawReceipt == "<kvittering/>")
        #expect(statuses[3].convId != sent.convId)
    }

    @Test(arguments: StoreBackend.allCases)
    func aRepeatedStatusIsRefusedAndChangesNothing(backend: StoreBackend) async throws {
        let (store, statuses) = try await seeded(backend)
        let convId = statuses[0].convId
        await #expect(throws: StoreError.self) {
            _ = try await store.write {
                try $0.appendStatus(conversationId: convId, status: .SENDT, description: "again", rawReceipt: nil,
                                    at: Clock.at(9))
            }
        }
        #expect(try await store.read { try $0.conversation(id: convId) }?.messageStatuses == Array(statuses[0...2]))
    }

    @Test(arguments: StoreBackend.allCases)
    func aRefusedRepeatCaughtInsideATransactionLeavesTheRestToCommit(backend: StoreBackend) async throws {
        let (store, statuses) = try await seeded(backend)
        let convId = statuses[0].convId
        let appended = try await store.write { tx -> MessageStatus in
            do {
                _ = try tx.appendStatus(conversationId: convId, status: .LEVERT, description: nil, rawReceipt: nil,
                                        at: Clock.at(9))
            } catch StoreError.duplicate {
                // The caller saw the repeat and goes on.
            }
            return try tx.appendStatus(conversationId: convId, status: .LEST, description: nil, rawReceipt: nil,
                                       at: Clock.at(10))
        }
        let history = try await store.read { try $0.conversation(id: convId) }?.messageStatuses
        #expect(history == Array(statuses[0...2]) + [appended])
    }

    @Test(arguments: StoreBackend.allCases)
    func findFiltersAndSortsById(backend: StoreBackend) async throws {
        let (store, statuses) = try await seeded(backend)
        func found(_ edit: (inout StatusQuery) -> Void, sort: [SortOrder] = []) async throws -> [MessageStatus] {
            var query = StatusQuery()
            edit(&query)
            return try await store.read { [query] in try $0.findStatuses(query, page: PageRequest(sort: sort)) }
                .content
        }
        #expect(try await found { _ in } == statuses)
        #expect(try await found({ _ in }, sort: [SortOrder("id", ascending: false)]) == statuses.reversed())
        #expect(try await found({ _ in }, sort: [SortOrder("status"), SortOrder("lastUpdate", ascending: false)])
            .map(\.id) == [statuses[2], statuses[3], statuses[0], statuses[1]].map(\.id))
        #expect(try await found { $0.id = statuses[2].id } == [statuses[2]])
        #expect(try await found { $0.messageId = [Fixture.messageId(2)] } == [statuses[3]])
        #expect(try await found { $0.conversationId = ["conv-1"] } == Array(statuses[0...2]))
        #expect(try await found { $0.status = ["OPPRETTET"] } == [statuses[0], statuses[3]])
        // Date bounds: inclusive, and only when both are given.
        #expect(try await found { $0.fromDateTime = Clock.at(2); $0.toDateTime = Clock.at(3) }
            == [statuses[1], statuses[2]])
        #expect(try await found { $0.fromDateTime = Clock.at(2) } == statuses)
        #expect(try await found { $0.toDateTime = Clock.at(2) } == statuses)

        let page = try await store.read { try $0.findStatuses(StatusQuery(), page: PageRequest(page: 1, size: 3)) }
        #expect(page.totalElements == 4)
        #expect(page.content == [statuses[3]])
        await #expect(throws: InvalidSortProperty.self) {
            try await store.read { try $0.findStatuses(StatusQuery(), page: PageRequest(sort: [SortOrder("convId")])) }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func theStatusQueueIsFirstInFirstOut(backend: StoreBackend) async throws {
        let (store, statuses) = try await seeded(backend)
        #expect(try await store.read { try $0.oldestQueuedStatus() } == nil)
        try await store.write { tx in
            for index in [2, 0, 3] { try tx.enqueueStatusEvent(statusId: statuses[index].id) }
            try tx.enqueueStatusEvent(statusId: statuses[2].id)  // again: no second entry
        }
        var seen: [MessageStatus] = []
        while let next = try await store.read({ try $0.oldestQueuedStatus() }) {
            seen.append(next)
            #expect(try await store.write { try $0.removeQueuedStatus(statusId: next.id) })
        }
        #expect(seen == [statuses[2], statuses[0], statuses[3]])
        #expect(try await store.write { try $0.removeQueuedStatus(statusId: statuses[0].id) } == false)
    }

    @Test(arguments: StoreBackend.allCases)
    func deletingAConversationTakesItsStatusesAndQueueEntries(backend: StoreBackend) async throws {
        let (store, statuses) = try await seeded(backend)
        try await store.write { tx in
            try tx.enqueueStatusEvent(statusId: statuses[1].id)
            try tx.enqueueStatusEvent(statusId: statuses[3].id)
            _ = try tx.deleteConversation(id: statuses[1].convId)
        }
        #expect(try await store.read { try $0.findStatuses(StatusQuery(), page: PageRequest()) }.content
            == [statuses[3]])
        #expect(try await store.read { try $0.oldestQueuedStatus() } == statuses[3])
    }
}
