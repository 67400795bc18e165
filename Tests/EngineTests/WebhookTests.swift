import Foundation
import Testing
@testable import Engine
import Model
import Storage
import TestSupport

@Suite("Webhooks: ping on create, durable pushes with retries")
struct WebhookTests {
    let endpoint = "http://127.0.0.1:9/hook"

    @Test("A failing ping refuses the subscription and stores nothing")
    func pingMustSucceed() async throws {
        let f = try EngineFixture()
        f.pusher.fail(times: 1)
        let error = await #expect(throws: NextMoveError.self) {
            _ = try await f.subscriptions.create(WebhookSubscription(name: "all", pushEndpoint: endpoint, resource: "all", event: "all"))
        }
        #expect(error?.message.hasPrefix("Ping failed with: ") == true)
        #expect(try await f.subscriptions.list(page: PageRequest()).totalElements == 0)
    }

    @Test("Every new status reaches each matching subscription once, with the upstream event body")
    func pushesEachStatusOnce() async throws {
        let f = try EngineFixture()
        _ = try await f.subscriptions.create(WebhookSubscription(name: "all", pushEndpoint: endpoint, resource: "all", event: "all"))
        _ = try await f.subscriptions.create(WebhookSubscription(name: "sent", pushEndpoint: endpoint, resource: "messages",
                                                                 event: "status", filter: "status=SENDT&direction=OUTGOING"))
        let messageId = try await f.createAndSend()
        try await f.worker.runOnce()
        try await f.webhooks.runOnce()
        let events = f.pusher.pushed.map(\.json).filter { !$0.contains("\"ping\"") }
        #expect(events.count == 3, "OPPRETTET and SENDT to 'all', SENDT to 'sent'")
        let sent = try #require(events.first { $0.contains("\"SENDT\"") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(sent.utf8)) as? [String: Any])
        #expect(json["messageId"] as? String == messageId)
        #expect(json["resource"] as? String == "messages")
        #expect(json["event"] as? String == "status")
        #expect(json["direction"] as? String == "OUTGOING")
        #expect(json["serviceIdentifier"] as? String == "DPO")
        try await f.webhooks.runOnce()
        #expect(f.pusher.pushed.count == 2 + 3, "nothing is pushed twice")
    }

    @Test("A failed push is retried with back-off, also by a dispatcher started after a restart")
    func retriesDurably() async throws {
        let f = try EngineFixture()
        _ = try await f.subscriptions.create(WebhookSubscription(name: "all", pushEndpoint: endpoint, resource: "all", event: "all"))
        _ = try await f.outgoing.create(try f.arkivmelding())
        f.pusher.fail(times: 2)
        try await f.webhooks.runOnce()
        #expect(f.pusher.pushed.count == 1, "only the ping so far")
        f.time.advance(by: 10)
        try await f.webhooks.runOnce()
        f.time.advance(by: 10)
        #expect(try await f.webhooks.runOnce() == 0, "second delay is 20 s")
        let restarted = WebhookDispatcher(store: f.store, pusher: f.pusher, settings: f.settings, time: f.time,
                                          logger: .init(label: "test"), wakeUp: WakeUpSignal())
        f.time.advance(by: 10)
        #expect(try await restarted.runOnce() == 1)
        #expect(f.pusher.pushed.count == 2)
    }
}
