import Foundation
import Testing
@testable import Engine
import Model
import Storage
import TestSupport

@Suite("Retries and time to live, on a driven clock")
struct RetryAndExpiryTests {
    @Test("The retry schedule is 20 s, 1 min, 3 min, 9 min, 27 min, then hourly")
    func schedule() {
        let schedule = RetrySchedule()
        #expect((1...7).map { schedule.delay(afterAttempt: $0) } == [20, 60, 180, 540, 1620, 3600, 3600])
        #expect(schedule.allowsRetry(after: 104))
        #expect(!schedule.allowsRetry(after: 105))
    }

    @Test("A failing channel is retried on the schedule and the message is delivered exactly once")
    func retriesUntilDelivered() async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend()
        f.channel.failNext(.transient("broker answered 500"), .transient("broker answered 500"))
        #expect(try await f.worker.runOnce() == 1)
        #expect(f.channel.delivered.isEmpty)
        #expect(try await f.worker.runOnce() == 0, "not due before the first delay")
        f.time.advance(by: 20)
        #expect(try await f.worker.runOnce() == 1)
        #expect(f.channel.delivered.isEmpty)
        f.time.advance(by: 59)
        #expect(try await f.worker.runOnce() == 0, "the second delay is 60 s")
        f.time.advance(by: 1)
        #expect(try await f.worker.runOnce() == 1)
        #expect(f.channel.delivered.count == 1)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT])
    }

    @Test("A permanent failure ends in FEIL with the reason")
    func permanentFailure() async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend()
        f.channel.failNext(.permanent("receiver certificate expired"))
        try await f.worker.runOnce()
        let conversation = try #require(try await f.store.read { tx in try tx.conversation(messageId: messageId, direction: .OUTGOING) })
        let feil = try #require(conversation.messageStatuses.first { $0.status == .FEIL })
        #expect(feil.description == "Failed to deliver message - check raw receipt")
        #expect(feil.rawReceipt == "receiver certificate expired")
        #expect(conversation.finished)
    }

    @Test("Exhausted retries end in FEIL")
    func exhaustedRetries() async throws {
        let f = try EngineFixture { $0.retry = RetrySchedule(initialDelay: 1, multiplier: 1, maxDelay: 1, maxAttempts: 2) }
        let messageId = try await f.createAndSend()
        f.channel.failNext(.transient("timeout"), .transient("timeout"))
        try await f.worker.runOnce()
        f.time.advance(by: 1)
        try await f.worker.runOnce()
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .FEIL])
        #expect(try await f.store.read { tx in try tx.countJobs() } == 0)
    }

    @Test("A message whose time to live passes while waiting for a retry gets LEVETID_UTLOPT, not a late delivery")
    func expiresBeforeRetry() async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend(ttl: 30)
        f.channel.failNext(.transient("down"))
        try await f.worker.runOnce()
        f.time.advance(by: 60)
        try await f.worker.runOnce()
        #expect(f.channel.delivered.isEmpty)
        let conversation = try #require(try await f.store.read { tx in try tx.conversation(messageId: messageId, direction: .OUTGOING) })
        let expired = try #require(conversation.messageStatuses.first { $0.status == .LEVETID_UTLOPT })
        #expect(expired.description == "Levetiden for meldingen er utgått. Må sendes på nytt")
    }

    @Test("Sending after the time to live gives 400 and records LEVETID_UTLOPT")
    func sendAfterExpiry() async throws {
        let f = try EngineFixture()
        let created = try await f.outgoing.create(try f.arkivmelding(ttl: 10))
        let messageId = try #require(created.messageId)
        try await f.upload(messageId, "arkivmelding.xml", Array(EngineFixture.arkivmeldingXML.utf8), type: "application/xml")
        f.time.advance(by: 11)
        let error = await #expect(throws: NextMoveError.self) { try await f.outgoing.send(messageId: messageId) }
        #expect(error?.message.hasPrefix("ExpectedResponseDateTime ") == true)
        #expect(error?.message.hasSuffix(" has been exceeded. Please resend the message") == true)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .LEVETID_UTLOPT])
    }

    @Test("The sweeper expires unsent and unconsumed messages once")
    func sweeper() async throws {
        let f = try EngineFixture()
        let created = try await f.outgoing.create(try f.arkivmelding(ttl: 10))
        f.time.advance(by: 11)
        #expect(try await f.sweeper.runOnce() == [created.messageId!])
        #expect(try await f.sweeper.runOnce().isEmpty)
        #expect(try await f.statuses(created.messageId!) == [.OPPRETTET, .LEVETID_UTLOPT])
    }

    @Test("A job leased by a process that died is taken over when its lease runs out, and delivered once")
    func leaseTakeover() async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend()
        let now = f.time.now
        let lease = now.addingTimeInterval(f.settings.leaseDuration)
        let claimed = try await f.store.write { tx in try tx.claimDueJobs(limit: 10, now: now, leaseUntil: lease, owner: "dead") }
        #expect(claimed.count == 1)
        #expect(try await f.worker.runOnce() == 0, "still leased by the dead process")
        f.time.advance(by: f.settings.leaseDuration)
        #expect(try await f.worker.runOnce() == 1)
        #expect(f.channel.delivered.count == 1)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT])
    }
}
