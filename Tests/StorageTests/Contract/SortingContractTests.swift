import Foundation
import Storage
import Testing

@Suite("Contract: every advertised sort property sorts")
struct SortingContractTests {
    @Test(arguments: StoreBackend.allCases)
    func everyPropertyOfEveryListSortsBothWays(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { tx in
            for n in 1...3 {
                try tx.insertOutgoing(Fixture.outgoing(n))
                try tx.insertIncoming(Fixture.incoming(n))
                var conversation = Fixture.conversation(n)
                conversation.expiry = n == 2 ? nil : Clock.at(Double(n))
                let id = try tx.insertConversation(conversation)
                _ = try tx.appendStatus(conversationId: id, status: .OPPRETTET, description: nil, rawReceipt: nil,
                                        at: Clock.at(Double(n)))
                _ = try tx.insertSubscription(WebhookSubscription(name: "s\(n)"))
            }
        }
        for ascending in [true, false] {
            for property in SortableColumns.messages.properties {
                let page = PageRequest(sort: [SortOrder(property, ascending: ascending)])
                #expect(try await store.read { try $0.findOutgoing(MessageQuery(), page: page) }.content.count == 3)
                #expect(try await store.read { try $0.findIncoming(MessageQuery(), page: page) }.content.count == 3)
            }
            for property in SortableColumns.conversations.properties {
                let page = PageRequest(sort: [SortOrder(property, ascending: ascending)])
                #expect(try await store.read { try $0.findConversations(ConversationQuery(), page: page) }
                    .content.count == 3, "sort=\(property)")
            }
            for property in SortableColumns.statuses.properties {
                let page = PageRequest(sort: [SortOrder(property, ascending: ascending)])
                #expect(try await store.read { try $0.findStatuses(StatusQuery(), page: page) }.content.count == 3)
            }
            for property in SortableColumns.subscriptions.properties {
                let page = PageRequest(sort: [SortOrder(property, ascending: ascending)])
                #expect(try await store.read { try $0.findSubscriptions(page: page) }.content.count == 3)
            }
        }
        func order(by property: String, ascending: Bool) async throws -> [String] {
            let page = PageRequest(sort: [SortOrder(property, ascending: ascending)])
            return try await store.read { try $0.findConversations(ConversationQuery(), page: page) }
                .content.map(\.conversationId)
        }
        // Missing values sort first ascending and last descending, on every backend.
        #expect(try await order(by: "expiry", ascending: true) == ["conv-2", "conv-1", "conv-3"])
        #expect(try await order(by: "expiry", ascending: false) == ["conv-3", "conv-1", "conv-2"])
        // A column without nulls (sorted without a NULLS clause) sorts the same way on every backend.
        #expect(try await order(by: "lastUpdate", ascending: true) == ["conv-1", "conv-2", "conv-3"])
        #expect(try await order(by: "lastUpdate", ascending: false) == ["conv-3", "conv-2", "conv-1"])
    }

    @Test func theAdvertisedPropertiesAreTheUpstreamOnes() {
        #expect(SortableColumns.messages.properties == [
            "id", "conversationId", "messageId", "processIdentifier", "receiverIdentifier", "senderIdentifier",
            "serviceIdentifier", "lastUpdated",
        ])
        #expect(Set(SortableColumns.conversations.properties) == [
            "id", "lastUpdate", "conversationId", "messageId", "sender", "receiver", "senderIdentifier",
            "receiverIdentifier", "serviceIdentifier", "direction", "finished", "messageReference", "messageTitle",
            "expiry",
        ])
        #expect(SortableColumns.statuses.properties == ["id", "lastUpdate", "status", "description"])
        #expect(SortableColumns.subscriptions.properties == ["id", "name"])
    }
}
