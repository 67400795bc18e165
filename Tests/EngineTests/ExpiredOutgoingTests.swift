import Foundation
import Logging
import Testing
@testable import Engine
import Model
import Storage
import TestSupport

/// An outgoing message whose time to live passed before it was delivered stays readable: a send tells the client
/// it expired (400 `TimeToLiveException`, not 404), a get still shows it, the history reads OPPRETTET then
/// LEVETID_UTLOPT, and only its files go — until housekeeping removes it with its conversation.
@Suite("Outgoing messages kept after they expired, on a driven clock")
struct ExpiredOutgoingTests {
    private static let day: TimeInterval = 86_400

    /// What the upstream answers to a send after `expectedResponseDateTime` (`nextmove-api.md` §1.3).
    private func timeToLiveError(_ expiry: Date) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: "no.difi.meldingsutveksling.exceptions.TimeToLiveException",
                      message: "ExpectedResponseDateTime \(OsloTime.format(expiry)) has been exceeded. Please resend the message")
    }

    /// Creates a message expiring in `ttl` seconds with two files; returns its id, expiry and file keys.
    private func createWithFiles(_ f: EngineFixture, ttl: TimeInterval = 10) async throws
        -> (messageId: String, expiry: Date, keys: [String]) {
        let expiry = f.time.now.addingTimeInterval(ttl)
        let created = try await f.outgoing.create(try f.arkivmelding(ttl: ttl))
        let messageId = try #require(created.messageId)
        try await f.upload(messageId, "arkivmelding.xml", Array(EngineFixture.arkivmeldingXML.utf8), type: "application/xml")
        try await f.upload(messageId, "vedtak.pdf", Array(repeating: 0x25, count: 1000), type: "application/pdf")
        let keys = try await f.store.read { tx in try tx.files(messageId: messageId) }.map(\.payloadKey)
        #expect(keys.count == 2)
        return (messageId, expiry, keys)
    }

    private func record(_ f: EngineFixture, _ messageId: String) async throws -> OutgoingMessageRecord? {
        try await f.store.read { tx in try tx.outgoing(messageId: messageId) }
    }

    private func sendError(_ f: EngineFixture, _ messageId: String) async -> NextMoveError? {
        await #expect(throws: NextMoveError.self) { try await f.outgoing.send(messageId: messageId) }
    }

    @Test("Expired by the sweep before the send: the send answers the upstream's 400, the message is still there without its files, the history reads OPPRETTET, LEVETID_UTLOPT")
    func sweptThenSent() async throws {
        let f = try EngineFixture()
        let (messageId, expiry, keys) = try await createWithFiles(f)
        let sbd = try await f.outgoing.message(messageId: messageId)
        f.time.advance(by: 11)
        #expect(try await f.sweeper.runOnce() == [messageId])

        #expect(await sendError(f, messageId) == timeToLiveError(expiry))
        #expect(await sendError(f, messageId) == timeToLiveError(expiry), "a repeated send answers the same")
        #expect(try await f.outgoing.message(messageId: messageId) == sbd, "get still answers with the SBD")
        #expect(try await f.outgoing.find(MessageQuery(), page: PageRequest()).content == [sbd])
        let conversation = try #require(try await f.store.read { tx in
            try tx.conversation(messageId: messageId, direction: .OUTGOING)
        })
        #expect(conversation.messageStatuses.map(\.status) == [.OPPRETTET, .LEVETID_UTLOPT])
        #expect(conversation.messageStatuses.last?.description == nil, "the sweep registers it without a text, as upstream")
        #expect(conversation.finished)
        #expect(try await record(f, messageId)?.state == .expired)
        #expect(try await f.store.read { tx in try tx.files(messageId: messageId) }.isEmpty)
        for key in keys { #expect(!f.payloads.exists(messageId: messageId, key: key), "payload \(key) removed") }
        #expect(try await f.store.read { tx in try tx.countJobs() } == 0)
        #expect(f.channel.delivered.isEmpty)
    }

    @Test("Expired when the send itself finds the time to live passed: the same record is kept, and the sweep later finds nothing to do")
    func sendFindsItExpired() async throws {
        let f = try EngineFixture()
        let (messageId, expiry, keys) = try await createWithFiles(f)
        f.time.advance(by: 11)
        #expect(await sendError(f, messageId) == timeToLiveError(expiry))
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .LEVETID_UTLOPT])
        let expired = try await f.store.read { tx in try tx.conversation(messageId: messageId, direction: .OUTGOING) }
        #expect(expired?.messageStatuses.last?.description == ReceiptStatus.expiredDescription)
        #expect(try await record(f, messageId)?.state == .expired)
        #expect(try await f.store.read { tx in try tx.files(messageId: messageId) }.isEmpty)
        for key in keys { #expect(!f.payloads.exists(messageId: messageId, key: key)) }
        #expect(try await f.sweeper.runOnce().isEmpty)
        #expect(await sendError(f, messageId) == timeToLiveError(expiry))
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .LEVETID_UTLOPT])
    }

    @Test("A file uploaded to an expired message is refused with the same 400, and nothing is stored")
    func uploadAfterExpiry() async throws {
        let f = try EngineFixture()
        let (messageId, expiry, _) = try await createWithFiles(f)
        f.time.advance(by: 11)
        try await f.sweeper.runOnce()
        let error = await #expect(throws: NextMoveError.self) {
            try await f.upload(messageId, "late.pdf", Array(repeating: 1, count: 100), type: "application/pdf")
        }
        #expect(error == timeToLiveError(expiry))
        #expect(try await f.store.read { tx in try tx.files(messageId: messageId) }.isEmpty)
        let folder = f.root.appendingPathComponent("messages").appendingPathComponent(messageId)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        #expect(left.isEmpty, "no payload left behind: \(left)")
    }

    @Test("A repeated create of an expired message is a duplicate, as for any stored message")
    func createAgainAfterExpiry() async throws {
        let f = try EngineFixture()
        // Without expectedResponseDateTime, so the repeat passes the create's future-date check.
        var sbd = try f.arkivmelding(ttl: 10)
        sbd.expectedResponseDateTime = nil
        let created = try await f.outgoing.create(sbd)
        let messageId = try #require(created.messageId)
        f.time.advance(by: f.settings.ttlHours(for: .DPO) * 3600 + 1)
        #expect(try await f.sweeper.runOnce() == [messageId])
        let error = await #expect(throws: NextMoveError.self) { _ = try await f.outgoing.create(sbd) }
        #expect(error == .messageAlreadyExists(messageId: messageId))
    }

    @Test("Accepted, then expired while waiting for a retry: the record is kept too, and a repeated send answers 400 instead of 200")
    func expiresInTheOutbox() async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend(ttl: 30)
        let expiry = try #require(try await f.outgoing.message(messageId: messageId).expectedResponseDateTime).date
        f.channel.failNext(.transient("down"))
        try await f.worker.runOnce()
        try await f.outgoing.send(messageId: messageId)
        f.time.advance(by: 60)
        try await f.worker.runOnce()
        #expect(f.channel.delivered.isEmpty)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .LEVETID_UTLOPT])
        #expect(try await record(f, messageId)?.state == .expired)
        #expect(try await f.store.read { tx in try tx.countJobs() } == 0)
        #expect(await sendError(f, messageId) == timeToLiveError(expiry))
    }

    @Test("Deleting an expired message removes it; its conversation stays")
    func deleteExpired() async throws {
        let f = try EngineFixture()
        let (messageId, _, _) = try await createWithFiles(f)
        f.time.advance(by: 11)
        try await f.sweeper.runOnce()
        try await f.outgoing.delete(messageId: messageId)
        #expect(try await record(f, messageId) == nil)
        let error = await #expect(throws: NextMoveError.self) { try await f.outgoing.send(messageId: messageId) }
        #expect(error == .messageNotFound(messageId: messageId))
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .LEVETID_UTLOPT])
    }

    @Test("Housekeeping removes the expired message together with its conversation once past the retention")
    func retentionRemovesIt() async throws {
        let f = try EngineFixture()
        let start = f.time.now
        let (messageId, _, _) = try await createWithFiles(f)
        f.time.advance(by: 11)
        try await f.sweeper.runOnce()
        let housekeeping = RetentionSweeper(store: f.store, settings: f.settings, time: f.time,
                                            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        f.time.set(start.addingTimeInterval(180 * Self.day))
        #expect(try await housekeeping.runOnce() == 0)
        #expect(try await record(f, messageId)?.state == .expired)

        f.time.set(start.addingTimeInterval(180 * Self.day + 12))
        #expect(try await housekeeping.runOnce() == 1)
        #expect(try await f.store.read { tx in try tx.conversation(messageId: messageId, direction: .OUTGOING) } == nil)
        #expect(try await record(f, messageId) == nil)
        let error = await #expect(throws: NextMoveError.self) { try await f.outgoing.send(messageId: messageId) }
        #expect(error == .messageNotFound(messageId: messageId))
    }

    @Test("Deleting the conversation by hand takes the expired message with it, so nothing is left that housekeeping cannot reach")
    func conversationDeleteTakesIt() async throws {
        let f = try EngineFixture()
        let conversations = ConversationService(store: f.store)
        let (byMessageId, _, _) = try await createWithFiles(f)
        let (byId, _, _) = try await createWithFiles(f)
        let (notExpired, _, _) = try await createWithFiles(f, ttl: 3600)
        f.time.advance(by: 11)
        #expect(Set(try await f.sweeper.runOnce()) == [byMessageId, byId])

        try await conversations.delete(messageId: byMessageId)
        #expect(try await record(f, byMessageId) == nil)
        let conversation = try await conversations.conversation(messageId: byId)
        try await conversations.delete(id: conversation.id)
        #expect(try await record(f, byId) == nil)
        try await conversations.delete(messageId: notExpired)
        #expect(try await record(f, notExpired)?.state == .created, "a message not expired is the client's to delete")
    }
}
