import Foundation
import Storage
import Testing

@Suite("Contract: leases on pollable conversations")
struct StatusPollingContractTests {
    /// Inserts conversation `n` of `service`, pollable or not, and answers its id.
    private func insert(_ n: Int, service: ServiceIdentifier = .DPV, pollable: Bool = true,
                        direction: ConversationDirection = .OUTGOING, into store: any MessageStore) async throws -> Int64 {
        var conversation = Fixture.conversation(n, direction: direction, service: service)
        conversation.pollable = pollable
        return try await store.write { [conversation] in try $0.insertConversation(conversation) }
    }

    @Test(arguments: StoreBackend.allCases)
    func claimTakesOnlyPollableOutgoingConversationsOfTheChannel(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let wanted = try await insert(1, into: store)
        _ = try await insert(2, pollable: false, into: store)
        _ = try await insert(3, service: .DPF, into: store)
        _ = try await insert(4, direction: .INCOMING, into: store)
        let second = try await insert(5, into: store)
        let claimed = try await store.write {
            try $0.claimPollableConversations(service: .DPV, now: Clock.at(100), limit: 10, leaseUntil: Clock.at(400),
                                              owner: "p1")
        }
        #expect(claimed.map(\.id) == [wanted, second])
        #expect(claimed.first?.messageId == Fixture.messageId(1))
    }

    @Test(arguments: StoreBackend.allCases)
    func aLeasedConversationIsNotClaimedAgainUntilReleasedOrExpired(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let id = try await insert(1, into: store)
        let first = try await store.write {
            try $0.claimPollableConversations(service: .DPV, now: Clock.at(100), limit: 10, leaseUntil: Clock.at(400),
                                              owner: "p1")
        }
        #expect(first.map(\.id) == [id])
        let whileLeased = try await store.write {
            try $0.claimPollableConversations(service: .DPV, now: Clock.at(200), limit: 10, leaseUntil: Clock.at(500),
                                              owner: "p2")
        }
        #expect(whileLeased.isEmpty, "another poller must not ask about a conversation that is being asked about")
        let afterExpiry = try await store.write {
            try $0.claimPollableConversations(service: .DPV, now: Clock.at(400), limit: 10, leaseUntil: Clock.at(700),
                                              owner: "p2")
        }
        #expect(afterExpiry.map(\.id) == [id], "a dead poller's lease runs out")
    }

    @Test(arguments: StoreBackend.allCases)
    func releaseSetsWhenTheConversationIsNextDue(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let early = try await insert(1, into: store)
        let late = try await insert(2, into: store)
        _ = try await store.write {
            try $0.claimPollableConversations(service: .DPV, now: Clock.at(100), limit: 10, leaseUntil: Clock.at(400),
                                              owner: "p1")
        }
        try await store.write { tx in
            try tx.releasePolledConversation(id: late, owner: "p1", nextPollAt: Clock.at(300))
            try tx.releasePolledConversation(id: early, owner: "p1", nextPollAt: Clock.at(160))
        }
        let notYet = try await store.write {
            try $0.claimPollableConversations(service: .DPV, now: Clock.at(159), limit: 10, leaseUntil: Clock.at(400),
                                              owner: "p1")
        }
        #expect(notYet.isEmpty)
        let due = try await store.write {
            try $0.claimPollableConversations(service: .DPV, now: Clock.at(300), limit: 10, leaseUntil: Clock.at(600),
                                              owner: "p1")
        }
        #expect(due.map(\.id) == [early, late], "oldest due first")
        // A release by a poller that lost the lease to another changes nothing.
        try await store.write { try $0.releasePolledConversation(id: early, owner: "someone-else", nextPollAt: Clock.at(0)) }
        let stillLeased = try await store.write {
            try $0.claimPollableConversations(service: .DPV, now: Clock.at(310), limit: 10, leaseUntil: Clock.at(600),
                                              owner: "p3")
        }
        #expect(stillLeased.isEmpty)
    }

    @Test(arguments: StoreBackend.allCases)
    func updatingAConversationKeepsItsPollSchedule(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let id = try await insert(1, into: store)
        _ = try await store.write {
            try $0.claimPollableConversations(service: .DPV, now: Clock.at(100), limit: 10, leaseUntil: Clock.at(400),
                                              owner: "p1")
        }
        try await store.write { try $0.releasePolledConversation(id: id, owner: "p1", nextPollAt: Clock.at(500)) }
        try await store.write { tx in
            var conversation = try #require(try tx.conversation(id: id))
            conversation.externalSystemReference = "correspondence-1"
            try tx.updateConversation(conversation)
        }
        let early = try await store.write {
            try $0.claimPollableConversations(service: .DPV, now: Clock.at(499), limit: 10, leaseUntil: Clock.at(900),
                                              owner: "p1")
        }
        #expect(early.isEmpty)
        let claimed = try await store.write {
            try $0.claimPollableConversations(service: .DPV, now: Clock.at(500), limit: 10, leaseUntil: Clock.at(900),
                                              owner: "p1")
        }
        #expect(claimed.first?.externalSystemReference == "correspondence-1")
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentClaimersNeverShareAConversation(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        for n in 1...40 { _ = try await insert(n, into: store) }
        let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for poller in 1...4 {
                group.addTask {
                    var mine: [Int64] = []
                    while true {
                        let batch = try await store.write {
                            try $0.claimPollableConversations(service: .DPV, now: Clock.at(100), limit: 3,
                                                              leaseUntil: Clock.at(400), owner: "p\(poller)")
                        }
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                    }
                }
            }
            var all: [[Int64]] = []
            for try await claim in group { all.append(claim) }
            return all
        }
        let flat = claims.flatMap { $0 }
        #expect(flat.count == 40)
        #expect(Set(flat).count == 40)
    }
}
