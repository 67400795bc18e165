import Foundation
import Storage
import Testing

@Suite("Contract: conversations")
struct ConversationContractTests {
    @Test(arguments: StoreBackend.allCases)
    func insertReadUpdateDelete(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        var conversation = Fixture.conversation(1)
        conversation.expiry = Clock.at(86_400.5)
        conversation.externalSystemReference = "ext-1"
        conversation.id = try await store.write { [conversation] in try $0.insertConversation(conversation) }
        let id = conversation.id
        #expect(id > 0)
        #expect(try await store.read { try $0.conversation(id: id) } == conversation)
        #expect(try await store.read { try $0.conversation(messageId: Fixture.messageId(1), direction: .OUTGOING) }
            == conversation)
        #expect(try await store.read { try $0.conversation(messageId: Fixture.messageId(1), direction: .INCOMING) }
            == nil)

        conversation.finished = true
        conversation.pollable = true
        conversation.messageReference = "sak-1-2"
        conversation.messageTitle = "Tittel"
        conversation.expiry = nil
        conversation.lastUpdate = Clock.at(50)
        try await store.write { [conversation] in try $0.updateConversation(conversation) }
        #expect(try await store.read { try $0.conversation(id: id) } == conversation)

        #expect(try await store.write { try $0.deleteConversation(id: id) })
        #expect(try await store.write { try $0.deleteConversation(id: id) } == false)
        #expect(try await store.read { try $0.conversation(id: id) } == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func oneConversationPerMessageIdAndDirection(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let ids = try await store.write { tx in
            [try tx.insertConversation(Fixture.conversation(1, direction: .OUTGOING)),
             try tx.insertConversation(Fixture.conversation(1, direction: .INCOMING))]
        }
        let both = try await store.read { try $0.conversations(messageId: Fixture.messageId(1)) }
        #expect(both.map(\.id) == ids)
        #expect(both.map(\.direction) == [.OUTGOING, .INCOMING])
        await #expect(throws: StoreError.self) {
            _ = try await store.write { try $0.insertConversation(Fixture.conversation(1, direction: .INCOMING)) }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func readsFillTheStatusHistory(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let (id, statuses) = try await store.write { tx in
            let id = try tx.insertConversation(Fixture.conversation(1))
            let other = try tx.insertConversation(Fixture.conversation(2))
            _ = try tx.appendStatus(conversationId: other, status: .OPPRETTET, description: nil, rawReceipt: nil,
                                    at: Clock.at(1))
            let statuses = [
                try tx.appendStatus(conversationId: id, status: .OPPRETTET, description: nil, rawReceipt: nil,
                                    at: Clock.at(1)),
                try tx.appendStatus(conversationId: id, status: .SENDT, description: "sendt", rawReceipt: "<r/>",
                                    at: Clock.at(2)),
            ]
            return (id, statuses)
        }
        let byId = try await store.read { try $0.conversation(id: id) }
        #expect(byId?.messageStatuses == statuses)
        #expect(byId?.latestStatus?.status == .SENDT)
        #expect(try await store.read { try $0.conversations(messageId: Fixture.messageId(1)) }.first?.messageStatuses
            == statuses)
        let page = try await store.read { try $0.findConversations(ConversationQuery(), page: PageRequest()) }
        #expect(page.content.map(\.messageStatuses.count) == [2, 1])
        #expect(page.content.first?.messageStatuses == statuses)
    }

    @Test(arguments: StoreBackend.allCases)
    func aStatusAppendedWithTheConversationsNewFieldsWritesBoth(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        var conversation = Fixture.conversation(1)
        conversation.id = try await store.write { [conversation] in try $0.insertConversation(conversation) }
        // A time finer than the microsecond the store keeps.
        let at = Clock.at(7).addingTimeInterval(0.000_000_4)
        conversation.lastUpdate = at
        conversation.finished = true
        conversation.pollable = false
        conversation.externalSystemReference = "ref-1"
        let status = try await store.write { [conversation] tx in
            try tx.appendStatus(.LEVERT, description: "levert", rawReceipt: "<k/>", at: at, updating: conversation)
        }
        let id = conversation.id
        let read = try #require(try await store.read { try $0.conversation(id: id) })
        // What the call returns is what a later read gives.
        #expect(read.messageStatuses == [status])
        #expect(status.lastUpdate == Clock.at(7))
        #expect(status.status == .LEVERT && status.description == "levert" && status.rawReceipt == "<k/>")
        #expect(status.messageId == Fixture.messageId(1) && status.conversationId == "conv-1")
        #expect(read.finished && !read.pollable && read.externalSystemReference == "ref-1")
        #expect(read.lastUpdate == Clock.at(7))
    }

    @Test(arguments: StoreBackend.allCases)
    func findFiltersByFieldsFlagsDatesTextAndLatestStatus(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { tx in
            var c1 = Fixture.conversation(1, title: "Søknad om BYGGELØYVE", at: 10)
            c1.finished = true
            let id1 = try tx.insertConversation(c1)
            var c2 = Fixture.conversation(2, direction: .INCOMING, service: .DPV, at: 20)
            c2.pollable = true
            c2.messageReference = "sak_2024-17"
            let id2 = try tx.insertConversation(c2)
            _ = try tx.insertConversation(Fixture.conversation(3, at: 30))
            _ = try tx.appendStatus(conversationId: id1, status: .OPPRETTET, description: nil, rawReceipt: nil,
                                    at: Clock.at(10))
            _ = try tx.appendStatus(conversationId: id1, status: .LEVERT, description: nil, rawReceipt: nil,
                                    at: Clock.at(11))
            _ = try tx.appendStatus(conversationId: id2, status: .LEVERT, description: nil, rawReceipt: nil,
                                    at: Clock.at(20))
            _ = try tx.appendStatus(conversationId: id2, status: .LEST, description: nil, rawReceipt: nil,
                                    at: Clock.at(21))
        }
        func found(_ edit: (inout ConversationQuery) -> Void) async throws -> [Int] {
            var query = ConversationQuery()
            edit(&query)
            return try await store.read { [query] in try $0.findConversations(query, page: PageRequest()) }
                .content.map { Int($0.messageId.suffix(12))! }
        }
        #expect(try await found { _ in } == [1, 2, 3])
        #expect(try await found { $0.direction = .INCOMING } == [2])
        #expect(try await found { $0.finished = true } == [1])
        #expect(try await found { $0.finished = false } == [2, 3])
        #expect(try await found { $0.pollable = true } == [2])
        #expect(try await found { $0.serviceIdentifier = [.DPV, .DPE] } == [2])
        #expect(try await found { $0.conversationId = ["conv-1", "conv-3"] } == [1, 3])
        #expect(try await found { $0.messageId = [Fixture.messageId(2)] } == [2])
        #expect(try await found { $0.messageReference = ["sak_2024-17"] } == [2])
        #expect(try await found { $0.messageTitle = ["Søknad om BYGGELØYVE"] } == [1])
        #expect(try await found { $0.receiver = ["0192:910075918"]; $0.sender = ["0192:910077473"] } == [1, 2, 3])
        #expect(try await found { $0.receiverIdentifier = ["x"] } == [])
        #expect(try await found { $0.senderIdentifier = ["910077473"] } == [1, 2, 3])
        // Inclusive bounds, each applied on its own.
        #expect(try await found { $0.lastUpdateFrom = Clock.at(20) } == [2, 3])
        #expect(try await found { $0.lastUpdateTo = Clock.at(20) } == [1, 2])
        #expect(try await found { $0.lastUpdateFrom = Clock.at(10); $0.lastUpdateTo = Clock.at(10) } == [1])
        // Free text: case-insensitive substring, Unicode too, wildcards taken literally.
        #expect(try await found { $0.text = "byggeløyve" } == [1])
        #expect(try await found { $0.text = "SØKNAD" } == [1])
        #expect(try await found { $0.text = "k_2024" } == [2])
        #expect(try await found { $0.text = "k%2024" } == [])
        #expect(try await found { $0.text = "CONV-3" } == [3])
        #expect(try await found { $0.text = "0000000002" } == [2])
        // Latest status only, not any status.
        #expect(try await found { $0.latestStatus = [.LEVERT] } == [1])
        #expect(try await found { $0.latestStatus = [.LEST, .OPPRETTET] } == [2])
    }

    @Test(arguments: StoreBackend.allCases)
    func pagesAndSorts(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { tx in
            for n in 1...31 { _ = try tx.insertConversation(Fixture.conversation(n, at: Double(100 - n))) }
        }
        let byDefault = PageRequest(page: 3, size: 10).sorted(byDefault: [SortOrder("lastUpdate", ascending: false)])
        let last = try await store.read { try $0.findConversations(ConversationQuery(), page: byDefault) }
        #expect(last.totalElements == 31)
        #expect(last.content.map(\.messageId) == [Fixture.messageId(31)])

        let first = try await store.read {
            try $0.findConversations(ConversationQuery(), page: PageRequest(size: 3, sort: [SortOrder("lastUpdate")]))
        }
        #expect(first.content.map(\.messageId) == [31, 30, 29].map(Fixture.messageId))
        await #expect(throws: InvalidSortProperty.self) {
            try await store.read {
                try $0.findConversations(ConversationQuery(), page: PageRequest(sort: [SortOrder("lastUpdated")]))
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func expiredConversationsAreUnfinishedWithExpiryBeforeNow(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { tx in
            for (n, expiry, finished) in [(1, 50.0, false), (2, 10.0, false), (3, 5.0, true), (4, 100.0, false),
                                          (5, 99.999999, false)] {
                var c = Fixture.conversation(n)
                c.expiry = Clock.at(expiry)
                c.finished = finished
                _ = try tx.insertConversation(c)
            }
            _ = try tx.insertConversation(Fixture.conversation(6))  // no expiry
        }
        let expired = try await store.read { try $0.expiredConversations(now: Clock.at(100), limit: 10) }
        #expect(expired.map(\.messageId) == [2, 1, 5].map(Fixture.messageId))
        let limited = try await store.read { try $0.expiredConversations(now: Clock.at(100), limit: 1) }
        #expect(limited.map(\.messageId) == [Fixture.messageId(2)])
    }
}
