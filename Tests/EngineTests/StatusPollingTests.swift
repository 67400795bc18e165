import Foundation
import Logging
import Synchronization
import Testing
@testable import Engine
import Model
import Storage
import TestSupport

/// A status source that answers what the test tells it, records what it was asked, and fails on demand.
final class ScriptedStatusSource: StatusPollingChannel {
    let serviceIdentifier: ServiceIdentifier = .DPO
    let arkivmeldingReceiptStatus: ReceiptStatus?
    private let state = Mutex<(asked: [[String]], answers: [String: [StatusUpdate]], failures: Int)>(([], [:], 0))

    init(arkivmeldingReceiptStatus: ReceiptStatus? = nil) {
        self.arkivmeldingReceiptStatus = arkivmeldingReceiptStatus
    }

    var asked: [[String]] { state.withLock { $0.asked } }

    func answer(_ messageId: String, _ updates: StatusUpdate...) {
        state.withLock { $0.answers[messageId] = updates }
    }

    func failNext(_ count: Int) { state.withLock { $0.failures = count } }

    func pollStatuses(_ conversations: [Conversation]) async throws -> [StatusUpdate] {
        try state.withLock { state in
            state.asked.append(conversations.map(\.messageId))
            if state.failures > 0 {
                state.failures -= 1
                throw ChannelError.transient("503 from the channel")
            }
            return conversations.flatMap { state.answers[$0.messageId] ?? [] }
        }
    }
}

@Suite("Status polling: channels that fetch statuses")
struct StatusPollingTests {
    func poller(_ f: EngineFixture, _ source: ScriptedStatusSource, settings: EngineSettings? = nil,
                owner: String = "p1") -> StatusPoller {
        StatusPoller(store: f.store, registrar: f.registrar, incoming: f.incoming,
                     sources: [ScheduledStatusSource(source, schedule: .every(60))],
                     settings: settings ?? f.settings, time: f.time,
                     logger: .init(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), owner: owner)
    }

    func sentPollable(_ f: EngineFixture, reference: String = "c-1") async throws -> String {
        f.channel.answer(SendReceipt(externalReference: reference, pollsStatus: true))
        let messageId = try await f.createAndSend()
        try await f.worker.runOnce()
        return messageId
    }

    func conversation(_ f: EngineFixture, _ messageId: String) async throws -> Conversation? {
        try await f.store.read { try $0.conversation(messageId: messageId, direction: .OUTGOING) }
    }

    @Test("A channel's receipt is recorded with SENDT: its reference, polling, and the statuses that follow at once")
    func sendReceiptIsRecorded() async throws {
        let f = try EngineFixture()
        f.channel.answer(SendReceipt(externalReference: "forsendelse-7", followingStatuses: [.LEVERT], pollsStatus: true))
        let messageId = try await f.createAndSend()
        try await f.worker.runOnce()
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .LEVERT])
        let stored = try #require(try await conversation(f, messageId))
        #expect(stored.externalSystemReference == "forsendelse-7")
        #expect(stored.pollable)
        #expect(stored.finished, "LEVERT finishes the conversation; polling goes on for LEST")
    }

    @Test("A receipt that finishes the conversation leaves it finished and not polled")
    func finishingReceipt() async throws {
        let f = try EngineFixture()
        f.channel.answer(SendReceipt(pollsStatus: true, finishes: true))
        let messageId = try await f.createAndSend()
        try await f.worker.runOnce()
        let stored = try #require(try await conversation(f, messageId))
        #expect(stored.finished && !stored.pollable)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT])
    }

    @Test("A run asks about each pollable conversation, registers the news with the channel's own time, and the next run waits for the rate")
    func pollsAndRegisters() async throws {
        let f = try EngineFixture()
        let source = ScriptedStatusSource()
        let poller = poller(f, source)
        let messageId = try await sentPollable(f)
        let publishedAt = f.time.now.addingTimeInterval(-30)
        source.answer(messageId, StatusUpdate(messageId: messageId, status: .LEVERT, at: publishedAt))
        #expect(try await poller.runOnce(ScheduledStatusSource(source, schedule: .every(60))) == 1)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .LEVERT])
        let levert = try #require(try await conversation(f, messageId)?.messageStatuses.last)
        #expect(levert.lastUpdate == publishedAt)

        f.time.advance(by: 59)
        #expect(try await poller.runOnce(ScheduledStatusSource(source, schedule: .every(60))) == 0, "not due before the rate")
        f.time.advance(by: 1)
        source.answer(messageId, StatusUpdate(messageId: messageId, status: .LEST))
        #expect(try await poller.runOnce(ScheduledStatusSource(source, schedule: .every(60))) == 1)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .LEVERT, .LEST])
        f.time.advance(by: 600)
        #expect(try await poller.runOnce(ScheduledStatusSource(source, schedule: .every(60))) == 0, "LEST stops polling")
        #expect(source.asked.count == 2)
    }

    @Test("An update that stops polling ends it without finishing statuses (a correspondence purged at Altinn)")
    func stopsPolling() async throws {
        let f = try EngineFixture()
        let source = ScriptedStatusSource()
        let messageId = try await sentPollable(f)
        source.answer(messageId, StatusUpdate(messageId: messageId, status: .ANNET, description: "Melding slettet i Altinn",
                                              stopsPolling: true))
        let scheduled = ScheduledStatusSource(source, schedule: .every(1))
        #expect(try await poller(f, source).runOnce(scheduled) == 1)
        f.time.advance(by: 10)
        #expect(try await poller(f, source).runOnce(scheduled) == 0)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .ANNET])
        #expect(try await conversation(f, messageId)?.pollable == false)
    }

    @Test("A channel that fails leaves the conversations for the next run; nothing is registered")
    func failureLeavesTheBatch() async throws {
        let f = try EngineFixture()
        let source = ScriptedStatusSource()
        let messageId = try await sentPollable(f)
        source.answer(messageId, StatusUpdate(messageId: messageId, status: .LEVERT))
        source.failNext(1)
        let scheduled = ScheduledStatusSource(source, schedule: .every(60))
        #expect(try await poller(f, source).runOnce(scheduled) == 1)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT])
        f.time.advance(by: 60)
        #expect(try await poller(f, source).runOnce(scheduled) == 1)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .LEVERT])
    }

    @Test("Runs are batched and bounded: 25 conversations in batches of 10, at most 20 a run, each asked once a run")
    func batchesAreBounded() async throws {
        var settings: EngineSettings?
        let f = try EngineFixture { s in
            s.statusPolling.batchSize = 10
            s.statusPolling.conversationsPerRun = 20
            settings = s
        }
        let source = ScriptedStatusSource()
        var ids: [String] = []
        for _ in 0..<25 { ids.append(try await sentPollable(f)) }
        let scheduled = ScheduledStatusSource(source, schedule: .every(60))
        let poller = poller(f, source, settings: settings)
        #expect(try await poller.runOnce(scheduled) == 20)
        #expect(source.asked.map(\.count) == [10, 10])
        #expect(try await poller.runOnce(scheduled) == 5, "the rest, in the same minute")
        #expect(Set(source.asked.flatMap { $0 }) == Set(ids))
        #expect(source.asked.flatMap { $0 }.count == 25)
    }

    @Test("Two pollers sharing the store never ask about the same conversation in the same round")
    func twoPollersShare() async throws {
        let f = try EngineFixture { $0.statusPolling.batchSize = 3 }
        for _ in 0..<12 { _ = try await sentPollable(f) }
        let source = ScriptedStatusSource()
        let scheduled = ScheduledStatusSource(source, schedule: .every(60))
        let first = poller(f, source, owner: "instance-a"), second = poller(f, source, owner: "instance-b")
        async let a = first.runOnce(scheduled)
        async let b = second.runOnce(scheduled)
        let total = try await a + b
        #expect(total == 12)
        #expect(source.asked.flatMap { $0 }.count == 12)
        #expect(Set(source.asked.flatMap { $0 }).count == 12)
    }

    @Test("With generate-arkivmelding-receipts, the channel's receipt status puts an arkivmelding_kvittering in the in-queue")
    func madeUpArkivmeldingReceipt() async throws {
        let f = try EngineFixture { s in
            s.generateArkivmeldingReceipts = true
            s.arkivmeldingDocumentType = EngineFixture.documentType
        }
        let source = ScriptedStatusSource(arkivmeldingReceiptStatus: .LEVERT)
        let messageId = try await sentPollable(f)
        source.answer(messageId, StatusUpdate(messageId: messageId, status: .LEVERT))
        _ = try await poller(f, source).runOnce(ScheduledStatusSource(source, schedule: .every(60)))
        let receipt = try await f.incoming.peek(MessageQuery())
        #expect(receipt.messageType == .arkivmeldingKvittering)
        guard case .arkivmeldingKvittering(let body) = receipt.businessMessage else {
            Issue.record("not an arkivmelding_kvittering")
            return
        }
        #expect(body.receiptType == "OK")
        #expect(body.relatedToMessageId == messageId)
        #expect(receipt.senderIdentifier == EngineFixture.receiverOrg)
        #expect(receipt.receiverIdentifier == EngineFixture.ownOrg)
        let original = try #require(try await conversation(f, messageId))
        #expect(receipt.conversationId == original.conversationId)
        // Registered once: asking again with the same news makes no second receipt.
        f.time.advance(by: 60)
        _ = try await poller(f, source).runOnce(ScheduledStatusSource(source, schedule: .every(60)))
        #expect(try await f.incoming.find(MessageQuery(), page: PageRequest(page: 0, size: 10)).content.count == 1)
    }

    @Test("Without the setting no receipt is made up")
    func noMadeUpReceiptByDefault() async throws {
        let f = try EngineFixture()
        let source = ScriptedStatusSource(arkivmeldingReceiptStatus: .LEVERT)
        let messageId = try await sentPollable(f)
        source.answer(messageId, StatusUpdate(messageId: messageId, status: .LEVERT))
        _ = try await poller(f, source).runOnce(ScheduledStatusSource(source, schedule: .every(60)))
        await #expect(throws: NextMoveError.self) { _ = try await f.incoming.peek(MessageQuery()) }
    }

    @Test("Under the cron schedule a young conversation is due every minute, an old one up to once an hour")
    func cronBackoff() throws {
        let settings = EngineSettings(orgNumber: EngineFixture.ownOrg)
        let cron = PollSchedule.cron(try CronSchedule("*/2 * * * * *"))
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        let young = Conversation(conversationId: "c", messageId: "m", lastUpdate: start, direction: .OUTGOING,
                                 serviceIdentifier: .DPV)
        #expect(StatusPoller.nextPoll(of: young, schedule: cron, runStart: start, settings: settings) == start.addingTimeInterval(60))
        var old = young
        old.lastUpdate = start.addingTimeInterval(-40 * 86_400)
        #expect(StatusPoller.nextPoll(of: old, schedule: cron, runStart: start, settings: settings) == start.addingTimeInterval(3600))
        var middle = young
        middle.lastUpdate = start.addingTimeInterval(-15 * 86_400)
        #expect(StatusPoller.nextPoll(of: middle, schedule: cron, runStart: start, settings: settings)
                == start.addingTimeInterval(60 + 3540 / 2))
        #expect(StatusPoller.nextPoll(of: old, schedule: .every(5), runStart: start, settings: settings) == start.addingTimeInterval(5),
                "a channel's own polling rate asks about every conversation at that rate")
    }
}
