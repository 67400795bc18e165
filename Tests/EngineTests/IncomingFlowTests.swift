import Foundation
import Testing
@testable import Engine
import Model
import Storage
import TestSupport

@Suite("Receiving: store, peek, pop, delete, receipts")
struct IncomingFlowTests {
    /// A message as the other integration point sends it to us.
    func incoming(_ f: EngineFixture, ttl: TimeInterval = 3600) throws -> StandardBusinessDocument {
        var sbd = try f.arkivmelding(ttl: ttl)
        sbd.standardBusinessDocumentHeader.sender = [Partner(PartnerIdentifier.organization(EngineFixture.receiverOrg))]
        sbd.standardBusinessDocumentHeader.receiver = [Partner(PartnerIdentifier.organization(EngineFixture.ownOrg))]
        return sbd
    }

    @Test("A received message is offered once per lock, streams its container, and delete sends LEVERT back")
    func peekPopDelete() async throws {
        let f = try EngineFixture()
        let sbd = try incoming(f)
        let messageId = try #require(sbd.messageId)
        let container = Array("PK container bytes".utf8)
        #expect(try await f.incoming.receive(sbd, via: .DPO, container: Chunks(container)) == .stored)
        #expect(try await f.statuses(messageId, .INCOMING) == [.OPPRETTET, .INNKOMMENDE_MOTTATT])
        let receipts = try await f.store.read { tx in try tx.jobs(messageId: messageId) }
        #expect(receipts.map(\.kind) == [.sendStatus])
        #expect(receipts.first?.payload?.contains("\"MOTTATT\"") == true)

        let error = await #expect(throws: NextMoveError.self) { _ = try await f.incoming.pop(messageId: messageId) }
        #expect(error?.message == "Message with messageId = \(messageId) was not locked")
        let peeked = try await f.incoming.peek(MessageQuery())
        #expect(peeked.messageId == messageId)
        await #expect(throws: NextMoveError.self) { _ = try await f.incoming.peek(MessageQuery()) }

        guard case .container(let stream) = try await f.incoming.pop(messageId: messageId) else {
            Issue.record("expected a container")
            return
        }
        var bytes: [UInt8] = []
        for try await chunk in stream { bytes += chunk }
        #expect(bytes == container)

        _ = try await f.incoming.delete(messageId: messageId)
        #expect(try await f.statuses(messageId, .INCOMING) == [.OPPRETTET, .INNKOMMENDE_MOTTATT, .INNKOMMENDE_LEVERT])
        let after = try await f.store.read { tx in try tx.jobs(messageId: messageId) }
        #expect(after.contains { $0.payload?.contains("\"LEVERT\"") == true })
    }

    @Test("A container gone from the payload store: pop answers that the file is missing and the message leaves the queue with FEIL")
    func popWithoutItsContainer() async throws {
        let f = try EngineFixture()
        let sbd = try incoming(f)
        let messageId = try #require(sbd.messageId)
        _ = try await f.incoming.receive(sbd, via: .DPO, container: Chunks([1, 2, 3]))
        _ = try await f.incoming.peek(MessageQuery())
        try f.payloads.delete(messageId: messageId)

        let error = await #expect(throws: NextMoveError.self) { _ = try await f.incoming.pop(messageId: messageId) }
        #expect(error?.message.contains("asic.zip") == true)
        #expect(try await f.statuses(messageId, .INCOMING) == [.OPPRETTET, .INNKOMMENDE_MOTTATT, .FEIL])
        #expect(try await f.store.read { tx in try tx.incoming(messageId: messageId) } == nil)
        await #expect(throws: NextMoveError.self) { _ = try await f.incoming.peek(MessageQuery()) }
    }

    @Test("An expired lock makes the message available again")
    func lockExpiry() async throws {
        let f = try EngineFixture()
        let sbd = try incoming(f)
        _ = try await f.incoming.receive(sbd, via: .DPO, container: Chunks([1, 2, 3]))
        _ = try await f.incoming.peek(MessageQuery())
        f.time.advance(by: 5 * 60 + 1)
        #expect(try await f.incoming.peek(MessageQuery()).messageId == sbd.messageId)
    }

    @Test("A message received twice is stored once")
    func duplicate() async throws {
        let f = try EngineFixture()
        let sbd = try incoming(f)
        #expect(try await f.incoming.receive(sbd, via: .DPO, container: Chunks([1])) == .stored)
        #expect(try await f.incoming.receive(sbd, via: .DPO, container: Chunks([1])) == .duplicate)
        #expect(try await f.store.read { tx in try tx.countMessages(direction: .INCOMING) } == 1)
    }

    @Test("A message that arrives after its time to live is recorded as received and expired (OPPRETTET, LEVETID_UTLOPT), not offered, and not stored")
    func arrivesExpired() async throws {
        let f = try EngineFixture()
        let sbd = try incoming(f, ttl: -10)
        #expect(try await f.incoming.receive(sbd, via: .DPO, container: Chunks([1])) == .expired)
        await #expect(throws: NextMoveError.self) { _ = try await f.incoming.peek(MessageQuery()) }
        let conversation = try #require(try await f.store.read { tx in
            try tx.conversation(messageId: sbd.messageId!, direction: .INCOMING)
        })
        #expect(conversation.messageStatuses.map(\.status) == [.OPPRETTET, .LEVETID_UTLOPT])
        #expect(conversation.messageStatuses.map(\.description) == [nil, ReceiptStatus.expiredDescription])
        #expect(conversation.finished)
        #expect(try await f.store.read { tx in try tx.countMessages(direction: .INCOMING) } == 0)
        #expect(!f.payloads.exists(messageId: sbd.messageId!, key: IncomingMessageService.containerKey))
        #expect(try await f.store.read { tx in try tx.countJobs() } == 0, "no MOTTATT receipt for a message not taken in")
        #expect(try await f.incoming.receive(sbd, via: .DPO, container: Chunks([1])) == .duplicate)
        #expect(try await f.statuses(sbd.messageId!, .INCOMING) == [.OPPRETTET, .LEVETID_UTLOPT])
    }

    @Test("Status receipts from the receiver update our outgoing conversation, once each")
    func statusReceipts() async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend()
        try await f.worker.runOnce()
        try await receiveStatuses(f, messageId, [.MOTTATT, .MOTTATT, .LEVERT])
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .MOTTATT, .LEVERT])
    }

    @Test("An arkivmelding_kvittering answering our message gives LEST (OK, WARNING) or FEIL (ERROR, NOTSUPPORTED) with its type",
          arguments: [("OK", ReceiptStatus.LEST), ("WARNING", .LEST), ("ERROR", .FEIL), ("NOTSUPPORTED", .FEIL)])
    func arkivmeldingReceipts(type: String, expected: ReceiptStatus) async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend()
        try await f.worker.runOnce()
        try await receiveStatuses(f, messageId, [.MOTTATT, .LEVERT])
        let receipt = try await archiveReceipt(f, messageId, type: type)
        #expect(try await f.incoming.receive(receipt, via: .DPO, container: Optional<Chunks>.none) == .stored,
                "the receipt itself is offered to the archive system")
        try await f.incoming.registerArkivmeldingReceipt(receipt)
        try await f.incoming.registerArkivmeldingReceipt(receipt)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .MOTTATT, .LEVERT, expected])
        let last = try #require(try await f.store.read { try $0.conversation(messageId: messageId, direction: .OUTGOING) }?
            .messageStatuses.last)
        #expect(last.description == "ArkivmeldingKvittering: \(type)")
        #expect(last.rawReceipt?.contains("Arkivert") == true)
    }

    @Test("An arkivmelding_kvittering that overtakes the receiver's MOTTATT and LEVERT records them first; when they come, nothing changes")
    func arkivmeldingReceiptBeforeStatuses() async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend()
        try await f.worker.runOnce()
        try await f.incoming.registerArkivmeldingReceipt(try await archiveReceipt(f, messageId, type: "OK"))
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .MOTTATT, .LEVERT, .LEST])
        let conversation = try #require(try await f.store.read { try $0.conversation(messageId: messageId, direction: .OUTGOING) })
        let implied = conversation.messageStatuses.filter { [.MOTTATT, .LEVERT].contains($0.status) }.map(\.description)
        #expect(implied == Array(repeating: "Recorded with the receiver's arkivmelding_kvittering.", count: 2))
        #expect(conversation.finished)
        try await receiveStatuses(f, messageId, [.MOTTATT, .LEVERT])
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .MOTTATT, .LEVERT, .LEST])
    }

    /// The receiving integration point's status messages for our `messageId`, received over DPO.
    func receiveStatuses(_ f: EngineFixture, _ messageId: String, _ statuses: [ReceiptStatus]) async throws {
        let original = try #require(f.channel.delivered.first { $0.delivery.messageId == messageId }?.delivery.sbd)
        let sbd = try StandardBusinessDocument.decode(from: Data(original.utf8))
        for status in statuses {
            let receipt = StandardBusinessDocument.statusReceipt(
                for: sbd, status: status, receiptProcess: f.settings.arkivmeldingReceiptProcess, now: f.time.now)
            _ = try await f.incoming.receive(receipt, via: .DPO, container: Optional<Chunks>.none)
        }
    }

    /// An arkivmelding_kvittering of `type` from the receiver's archive system answering our `messageId`.
    func archiveReceipt(_ f: EngineFixture, _ messageId: String, type: String) async throws -> StandardBusinessDocument {
        let conversation = try #require(try await f.store.read { try $0.conversation(messageId: messageId, direction: .OUTGOING) })
        var receipt = StandardBusinessDocument.arkivmeldingReceipt(
            for: conversation, messageId: UUID().uuidString.lowercased(), receiptProcess: f.settings.arkivmeldingReceiptProcess,
            receiptDocumentType: f.settings.arkivmeldingReceiptDocumentType, now: f.time.now)
        receipt.businessMessage = .arkivmeldingKvittering(ArkivmeldingKvitteringMessage(
            receiptType: type, relatedToMessageId: messageId, messages: [KvitteringStatusMessage(code: "1", text: "Arkivert")]))
        return receipt
    }

    @Test("An unconsumed message is discarded at its time to live")
    func discardedAtExpiry() async throws {
        let f = try EngineFixture()
        let sbd = try incoming(f, ttl: 60)
        _ = try await f.incoming.receive(sbd, via: .DPO, container: Chunks([1, 2]))
        f.time.advance(by: 61)
        try await f.sweeper.runOnce()
        #expect(try await f.store.read { tx in try tx.countMessages(direction: .INCOMING) } == 0)
        #expect(!f.payloads.exists(messageId: sbd.messageId!, key: IncomingMessageService.containerKey))
        #expect(try await f.statuses(sbd.messageId!, .INCOMING).last == .LEVETID_UTLOPT)
    }
}
