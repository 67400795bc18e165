import Foundation
import Engine
import Storage
import Testing
import TestSupport

/// A receiver's receipts for one message are two jobs of one kind: they go one after the other, in the order queued,
/// and the second goes as soon as the first is done.
@Suite("Outbox: a message's receipts leave in order, one after the other")
struct OutboxOrderTests {
    @Test func theSecondReceiptFollowsTheFirstWithoutWaitingForTheIdleInterval() async throws {
        // An idle interval far longer than the test may take: only the wake-up after the first job can start the second.
        // (The wait below is long too: beside the whole suite on two cores, a few jobs may take a while.)
        let fixture = try EngineFixture { $0.outboxIdleInterval = 600 }
        let messageId = UUID().uuidString.lowercased()
        let now = fixture.time.now
        let receipts = [#"{"status":"MOTTATT"}"#, #"{"status":"LEVERT"}"#]
        _ = try await fixture.store.write { tx in
            try receipts.map { receipt in
                try tx.insertJob(OutboxJob(kind: .sendStatus, messageId: messageId, payload: receipt, createdAt: now,
                                           nextAttemptAt: now))
            }
        }
        let worker = Task { try await fixture.worker.run() }
        let deadline = Date().addingTimeInterval(120)
        while fixture.channel.delivered.count < receipts.count, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        worker.cancel()
        _ = await worker.result
        #expect(fixture.channel.delivered.map(\.delivery.sbd) == receipts)
        #expect(try await fixture.store.read { try $0.countJobs() } == 0)
    }
}
