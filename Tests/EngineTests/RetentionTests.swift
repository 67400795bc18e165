import Foundation
import Logging
import Testing
@testable import Engine
import Model
import Storage
import TestSupport

@Suite("Retention of finished conversations, on a driven clock")
struct RetentionTests {
    private static let day: TimeInterval = 86_400

    private func makeSweeper(_ f: EngineFixture) -> RetentionSweeper {
        RetentionSweeper(store: f.store, settings: f.settings, time: f.time,
                         logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), batchSize: 2)
    }

    /// Creates, sends and fails a message permanently, so that its conversation is finished (FEIL) now.
    private func finishedMessage(_ f: EngineFixture) async throws -> String {
        let messageId = try await f.createAndSend()
        f.channel.failNext(.permanent("receiver certificate expired"))
        try await f.worker.runOnce()
        #expect(try await f.statuses(messageId).last == .FEIL)
        return messageId
    }

    private func conversation(_ f: EngineFixture, _ messageId: String) async throws -> Conversation? {
        try await f.store.read { tx in try tx.conversation(messageId: messageId, direction: .OUTGOING) }
    }

    @Test("Finished conversations go after the retention; unfinished ones stay however old")
    func removesAfterRetention() async throws {
        let f = try EngineFixture()
        #expect(f.settings.statusRetention == 180 * Self.day, "the default is 180 days")
        let start = f.time.now
        let old = try await finishedMessage(f)
        let pending = try await f.createAndSend(ttl: 1000 * Self.day)
        try await f.worker.runOnce()
        #expect(try await f.statuses(pending) == [.OPPRETTET, .SENDT])
        f.time.advance(by: 100 * Self.day)
        let newer = try await finishedMessage(f)
        let sweeper = makeSweeper(f)

        f.time.set(start.addingTimeInterval(180 * Self.day - 1))
        #expect(try await sweeper.runOnce() == 0)
        #expect(try await conversation(f, old) != nil)

        f.time.set(start.addingTimeInterval(180 * Self.day + 1))
        #expect(try await sweeper.runOnce() == 1)
        #expect(try await conversation(f, old) == nil)
        var query = StatusQuery()
        query.messageId = [old]
        let statuses = try await f.store.read { [query] tx in try tx.findStatuses(query, page: PageRequest()) }
        #expect(statuses.totalElements == 0)
        #expect(try await conversation(f, newer)?.messageStatuses.map(\.status) == [.OPPRETTET, .FEIL])

        let health = await HealthService(store: f.store, retention: f.settings.statusRetention).check()
        let housekeeping = try #require(health.components["housekeeping"])
        #expect(housekeeping.details?["statusRetentionDays"] == "180")
        #expect(housekeeping.details?["oldestConversation"] == OsloTime.format(start), "the pending one, kept")

        f.time.advance(by: 200 * Self.day)
        #expect(try await sweeper.runOnce() == 1)
        #expect(try await conversation(f, newer) == nil)
        #expect(try await conversation(f, pending)?.finished == false)
    }

    @Test("A backlog larger than one batch is removed in one sweep, and the retention is configurable")
    func backlogAndConfiguredRetention() async throws {
        let f = try EngineFixture { $0.statusRetention = 7 * Self.day }
        var ids: [String] = []
        for _ in 0..<5 { ids.append(try await finishedMessage(f)) }
        f.time.advance(by: 7 * Self.day + 1)
        #expect(try await makeSweeper(f).runOnce() == 5)
        for id in ids { #expect(try await conversation(f, id) == nil) }
        let health = await HealthService(store: f.store, retention: f.settings.statusRetention).check()
        #expect(health.components["housekeeping"]?.details?["oldestConversation"] == "none")
        #expect(health.components["housekeeping"]?.details?["statusRetentionDays"] == "7")
    }
}
