import Foundation
import Storage
import Testing

@Suite("Contract: webhook subscriptions and deliveries")
struct WebhookContractTests {
    private func subscription(_ name: String) -> WebhookSubscription {
        WebhookSubscription(name: name, pushEndpoint: "http://localhost:9000/\(name)", resource: "all", event: "all",
                            filter: "status=FEIL&direction=INCOMING")
    }

    @Test(arguments: StoreBackend.allCases)
    func subscriptionsInsertReadUpdateDelete(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        var first = subscription("b")
        first.id = try await store.write { [first] in try $0.insertSubscription(first) }
        var second = subscription("a")
        second.id = try await store.write { [second] in try $0.insertSubscription(second) }
        let firstId = try #require(first.id)
        #expect(try await store.read { try $0.subscription(id: firstId) } == first)
        #expect(try await store.read { try $0.allSubscriptions() } == [first, second])

        first.pushEndpoint = "http://localhost:9001/changed"
        first.filter = nil
        try await store.write { [first] in try $0.updateSubscription(first) }
        #expect(try await store.read { try $0.subscription(id: firstId) } == first)

        let byName = try await store.read { try $0.findSubscriptions(page: PageRequest(sort: [SortOrder("name")])) }
        #expect(byName.content == [second, first])
        #expect(byName.totalElements == 2)
        let paged = try await store.read { try $0.findSubscriptions(page: PageRequest(page: 1, size: 1)) }
        #expect(paged.content == [second])
        await #expect(throws: InvalidSortProperty.self) {
            try await store.read { try $0.findSubscriptions(page: PageRequest(sort: [SortOrder("pushEndpoint")])) }
        }

        #expect(try await store.write { try $0.deleteSubscription(id: firstId) })
        #expect(try await store.write { try $0.deleteSubscription(id: firstId) } == false)
        #expect(try await store.read { try $0.allSubscriptions() } == [second])
        try await store.write { try $0.deleteAllSubscriptions() }
        #expect(try await store.read { try $0.allSubscriptions() } == [])
    }

    /// The registrar asks for the subscriptions right after writing a status; a store may answer from that write
    /// (PostgreSQL asks "any subscription?" in the same statement), but never with an answer that is out of date.
    @Test(arguments: StoreBackend.allCases)
    func subscriptionsReadAfterAStatusWriteAreCurrent(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let conversation = Fixture.conversation(1)
        let id = try await store.write { [conversation] in try $0.insertConversation(conversation) }
        var current = conversation
        current.id = id
        let added = subscription("a")
        let seen = try await store.write { [current, added] tx in
            _ = try tx.appendStatus(.OPPRETTET, description: nil, rawReceipt: nil, at: Clock.at(1), updating: current)
            let none = try tx.allSubscriptions()
            _ = try tx.appendStatus(.SENDT, description: nil, rawReceipt: nil, at: Clock.at(2), updating: current)
            _ = try tx.insertSubscription(added)
            return (none, try tx.allSubscriptions())
        }
        #expect(seen.0 == [])
        #expect(seen.1.map(\.name) == ["a"])
        // No status write in between: each call reads what is there now.
        let twice = try await store.write { [current] tx in
            _ = try tx.appendStatus(.MOTTATT, description: nil, rawReceipt: nil, at: Clock.at(3), updating: current)
            return (try tx.allSubscriptions(), try tx.allSubscriptions())
        }
        #expect(twice.0.map(\.name) == ["a"] && twice.1.map(\.name) == ["a"])
        try await store.write { try $0.deleteAllSubscriptions() }
        let emptied = try await store.write { [current] tx in
            _ = try tx.appendStatus(.LEVERT, description: nil, rawReceipt: nil, at: Clock.at(4), updating: current)
            let afterStatus = try tx.allSubscriptions()
            _ = try tx.insertSubscription(added)
            return (afterStatus, try tx.allSubscriptions().count)
        }
        #expect(emptied.0 == [] && emptied.1 == 1)
    }

    @Test(arguments: StoreBackend.allCases)
    func deliveriesAreClaimedUnderLeasesAndRescheduled(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let (subscriptionId, ids) = try await store.write { tx in
            let sid = try tx.insertSubscription(subscription("a"))
            let ids = try [20.0, 10.0, 500.0].map { due in
                try tx.insertDelivery(WebhookDelivery(subscriptionId: sid, payload: #"{"event":"status"}"#,
                                                      createdAt: Clock.at(0), nextAttemptAt: Clock.at(due)))
            }
            return (sid, ids)
        }
        let claimed = try await store.write {
            try $0.claimDueDeliveries(limit: 10, now: Clock.at(100), leaseUntil: Clock.at(130), owner: "d1")
        }
        #expect(claimed.map(\.id) == [ids[1], ids[0]])
        #expect(claimed.first == WebhookDelivery(id: ids[1], subscriptionId: subscriptionId,
                                                 payload: #"{"event":"status"}"#, createdAt: Clock.at(0),
                                                 nextAttemptAt: Clock.at(10), leaseOwner: "d1",
                                                 leaseUntil: Clock.at(130)))
        #expect(try await store.write {
            try $0.claimDueDeliveries(limit: 10, now: Clock.at(129), leaseUntil: Clock.at(190), owner: "d2")
        }.isEmpty)

        try await store.write { tx in
            try tx.rescheduleDelivery(id: ids[0], attempts: 1, nextAttemptAt: Clock.at(140), lastError: "timeout")
            #expect(try tx.deleteDelivery(id: ids[1]))
        }
        let again = try await store.write {
            try $0.claimDueDeliveries(limit: 10, now: Clock.at(140), leaseUntil: Clock.at(200), owner: "d3")
        }
        #expect(again.map(\.id) == [ids[0]])
        #expect(again.first?.attempts == 1)
        #expect(again.first?.lastError == "timeout")
        #expect(again.first?.leaseOwner == "d3")
    }

    @Test(arguments: StoreBackend.allCases)
    func deletingASubscriptionDropsItsPendingDeliveries(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.write { tx in
            let sid = try tx.insertSubscription(subscription("a"))
            _ = try tx.insertDelivery(WebhookDelivery(subscriptionId: sid, payload: "{}", createdAt: Clock.at(0),
                                                      nextAttemptAt: Clock.at(0)))
            _ = try tx.deleteSubscription(id: sid)
        }
        #expect(try await store.write {
            try $0.claimDueDeliveries(limit: 10, now: Clock.at(100), leaseUntil: Clock.at(130), owner: "d")
        }.isEmpty)
    }
}
