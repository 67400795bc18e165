import Foundation
import Storage
import Testing

@Suite("Contract: outgoing messages and their files")
struct OutgoingMessageContractTests {
    @Test(arguments: StoreBackend.allCases)
    func insertReadUpdateDelete(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        var message = Fixture.outgoing(1)
        try await store.write { [message] in try $0.insertOutgoing(message) }
        #expect(try await store.read { try $0.outgoing(messageId: Fixture.messageId(1)) } == message)

        message.state = .sending
        message.sbd = #"{"changed":true}"#
        message.lastUpdated = Clock.at(99.000001)
        try await store.write { [message] in try $0.updateOutgoing(message) }
        #expect(try await store.read { try $0.outgoing(messageId: Fixture.messageId(1)) } == message)
        #expect(try await store.read { try $0.countMessages(direction: .OUTGOING) } == 1)
        #expect(try await store.read { try $0.countMessages(direction: .INCOMING) } == 0)

        #expect(try await store.write { try $0.deleteOutgoing(messageId: Fixture.messageId(1)) })
        #expect(try await store.write { try $0.deleteOutgoing(messageId: Fixture.messageId(1)) } == false)
        #expect(try await store.read { try $0.outgoing(messageId: Fixture.messageId(1)) } == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func aSecondInsertOfTheSameMessageIdIsADuplicate(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { try $0.insertOutgoing(Fixture.outgoing(1)) }
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.insertOutgoing(Fixture.outgoing(1)) }
        }
        do {
            try await store.write { try $0.insertOutgoing(Fixture.outgoing(1)) }
        } catch let error as StoreError {
            guard case .duplicate = error else { Issue.record("expected .duplicate, got \(error)"); return }
        }
        #expect(try await store.read { try $0.countMessages(direction: .OUTGOING) } == 1)
    }

    @Test(arguments: StoreBackend.allCases)
    func filesComeBackInUploadOrderAndGoWithTheMessage(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let files = (1...3).map { n in
            StoredFileRecord(messageId: Fixture.messageId(1), payloadKey: "key-\(n)", filename: "file\(n).pdf",
                             title: n == 1 ? "Hoveddokument" : nil, mimeType: "application/pdf",
                             size: Int64(n * 1000), dokumentnummer: n, primaryDocument: n == 1)
        }
        try await store.write { tx in
            try tx.insertOutgoing(Fixture.outgoing(1))
            try tx.insertOutgoing(Fixture.outgoing(2))
            for file in files.reversed() { try tx.insertFile(file) }
        }
        #expect(try await store.read { try $0.files(messageId: Fixture.messageId(1)) } == files)
        #expect(try await store.read { try $0.files(messageId: Fixture.messageId(2)) } == [])
        // The message with its files in one call (one statement on PostgreSQL): the same answers.
        let withFiles = try #require(try await store.read { try $0.outgoingWithFiles(messageId: Fixture.messageId(1)) })
        #expect(withFiles.0 == Fixture.outgoing(1) && withFiles.1 == files)
        let withoutFiles = try #require(try await store.read { try $0.outgoingWithFiles(messageId: Fixture.messageId(2)) })
        #expect(withoutFiles.0 == Fixture.outgoing(2) && withoutFiles.1 == [])
        #expect(try await store.read { try $0.outgoingWithFiles(messageId: Fixture.messageId(3)) } == nil)

        _ = try await store.write { try $0.deleteOutgoing(messageId: Fixture.messageId(1)) }
        #expect(try await store.read { try $0.files(messageId: Fixture.messageId(1)) } == [])
        #expect(try await store.read { try $0.outgoingWithFiles(messageId: Fixture.messageId(1)) } == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func expiringKeepsTheRowAndItsSBDButNotItsFiles(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        var message = Fixture.outgoing(1)
        message.state = .sending
        try await store.write { [message] tx in
            try tx.insertOutgoing(message)
            try tx.insertOutgoing(Fixture.outgoing(2))
            for (n, id) in [(1, 1), (2, 1), (3, 2)] {
                try tx.insertFile(StoredFileRecord(messageId: Fixture.messageId(id), payloadKey: "key-\(n)",
                                                   filename: "file\(n).pdf", title: nil, mimeType: "application/pdf",
                                                   size: 10, dokumentnummer: n, primaryDocument: false))
            }
        }
        #expect(try await store.write { try $0.expireOutgoing(messageId: Fixture.messageId(1), at: Clock.at(50.5)) })
        var expected = message
        expected.state = .expired
        expected.lastUpdated = Clock.at(50.5)
        #expect(try await store.read { try $0.outgoing(messageId: Fixture.messageId(1)) } == expected)
        #expect(try await store.read { try $0.files(messageId: Fixture.messageId(1)) } == [])
        #expect(try await store.read { try $0.files(messageId: Fixture.messageId(2)) }.map(\.payloadKey) == ["key-3"])
        #expect(try await store.read { try $0.outgoing(messageId: Fixture.messageId(2)) }?.state == .created)

        #expect(try await store.write { try $0.expireOutgoing(messageId: Fixture.messageId(1), at: Clock.at(60)) } == false,
                "expired already: unchanged")
        #expect(try await store.read { try $0.outgoing(messageId: Fixture.messageId(1)) } == expected)
        #expect(try await store.write { try $0.expireOutgoing(messageId: Fixture.messageId(9), at: Clock.at(60)) } == false)
        var query = MessageQuery()
        query.messageId = [Fixture.messageId(1)]
        let found = try await store.read { [query] tx in try tx.findOutgoing(query, page: PageRequest()) }
        #expect(found.content == [expected])
        #expect(try await store.write { try $0.deleteOutgoing(messageId: Fixture.messageId(1)) })
    }

    @Test(arguments: StoreBackend.allCases)
    func findFiltersByEveryField(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { tx in
            try tx.insertOutgoing(Fixture.outgoing(1, conversationId: "a", receiver: "111111111", service: .DPO))
            try tx.insertOutgoing(Fixture.outgoing(2, conversationId: "a", receiver: "222222222", service: .DPV))
            try tx.insertOutgoing(Fixture.outgoing(3, conversationId: "b", receiver: "111111111", service: .DPV))
        }
        func ids(_ query: MessageQuery) async throws -> [String] {
            try await store.read { try $0.findOutgoing(query, page: PageRequest()) }.content.map(\.messageId)
        }
        let all = [1, 2, 3].map(Fixture.messageId)
        #expect(try await ids(MessageQuery()) == all)

        var query = MessageQuery()
        query.conversationId = ["a"]
        #expect(try await ids(query) == [all[0], all[1]])
        query.serviceIdentifier = [.DPV]
        #expect(try await ids(query) == [all[1]])

        query = MessageQuery()
        query.receiverIdentifier = ["111111111", "333333333"]
        #expect(try await ids(query) == [all[0], all[2]])

        query = MessageQuery()
        query.messageId = [all[2], "unknown"]
        #expect(try await ids(query) == [all[2]])

        query = MessageQuery()
        query.senderIdentifier = ["910077473"]
        query.processIdentifier = ["urn:no:difi:profile:arkivmelding:administrasjon:ver1.0"]
        #expect(try await ids(query) == all)
        query.processIdentifier = ["other"]
        #expect(try await ids(query) == [])
    }

    @Test(arguments: StoreBackend.allCases)
    func pagesOf31RowsEndWithOneOnPage3(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { tx in for n in 1...31 { try tx.insertOutgoing(Fixture.outgoing(n)) } }

        let page = try await store.read { try $0.findOutgoing(MessageQuery(), page: PageRequest(page: 3, size: 10)) }
        #expect(page.totalElements == 31)
        #expect(page.totalPages == 4)
        #expect(page.content.map(\.messageId) == [Fixture.messageId(31)])

        let second = try await store.read { try $0.findOutgoing(MessageQuery(), page: PageRequest(page: 1, size: 10)) }
        #expect(second.content.map(\.messageId) == (11...20).map(Fixture.messageId))
        #expect(second.totalElements == 31)

        let beyond = try await store.read { try $0.findOutgoing(MessageQuery(), page: PageRequest(page: 9, size: 10)) }
        #expect(beyond.content.isEmpty)
        #expect(beyond.totalElements == 31)
    }

    @Test(arguments: StoreBackend.allCases)
    func sortsAscendingAndDescendingWithIdBreakingTies(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        // Receivers: 1 → "b", 2 → "a", 3 → "b", 4 → "a"
        try await store.write { tx in
            for n in 1...4 { try tx.insertOutgoing(Fixture.outgoing(n, receiver: n % 2 == 0 ? "a" : "b")) }
        }
        func order(_ sort: [SortOrder]) async throws -> [Int] {
            try await store.read { try $0.findOutgoing(MessageQuery(), page: PageRequest(sort: sort)) }
                .content.map { Int($0.messageId.suffix(12))! }
        }
        #expect(try await order([]) == [1, 2, 3, 4])
        #expect(try await order([SortOrder("lastUpdated", ascending: false)]) == [4, 3, 2, 1])
        #expect(try await order([SortOrder("receiverIdentifier")]) == [2, 4, 1, 3])
        #expect(try await order([SortOrder("receiverIdentifier", ascending: false)]) == [1, 3, 2, 4])
        #expect(try await order([SortOrder("receiverIdentifier"), SortOrder("id", ascending: false)]) == [4, 2, 3, 1])
    }

    @Test(arguments: StoreBackend.allCases)
    func anUnknownSortPropertyIsRejectedWithTheAllowedOnes(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let error = await #expect(throws: InvalidSortProperty.self) {
            try await store.read {
                try $0.findOutgoing(MessageQuery(), page: PageRequest(sort: [SortOrder("lastUpdate; DROP TABLE x")]))
            }
        }
        #expect(error?.property == "lastUpdate; DROP TABLE x")
        #expect(error?.allowed.contains("lastUpdated") == true)
        await #expect(throws: InvalidSortProperty.self) {
            try await store.read { try $0.findIncoming(MessageQuery(), page: PageRequest(sort: [SortOrder("sbd")])) }
        }
    }
}
