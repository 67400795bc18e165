import Foundation
import Logging
import Synchronization
import Testing
import Engine
import Model
import NoarkExchange
import Packaging
import Storage
import TestSupport

/// BEST/EDU outbound: incoming arkivmelding messages pushed to the archive system.
@Suite struct ArchiveDeliveryTests {
    /// An archive system that records what it got and answers from a script (then OK).
    final class ScriptedArchive: ArchiveSystemClient {
        enum Answer: Sendable {
            case receipt(AppReceipt)
            case fault(String)
        }

        private let state = Mutex<(script: [Answer], received: [(NoarkEnvelope, Melding)])>(([], []))

        init(_ script: [Answer] = []) { state.withLock { $0.script = script } }

        var received: [(envelope: NoarkEnvelope, melding: Melding)] { state.withLock { $0.received.map { ($0.0, $0.1) } } }

        func putMessage(envelope: NoarkEnvelope, melding: Melding) async throws -> AppReceipt {
            let answer = state.withLock { state -> Answer in
                state.received.append((envelope, melding))
                return state.script.isEmpty ? .receipt(.ok) : state.script.removeFirst()
            }
            switch answer {
            case .receipt(let receipt): return receipt
            case .fault(let text): throw SOAPFault.server(text)
            }
        }
    }

    struct Setup {
        let fixture: EngineFixture
        let archive: ScriptedArchive
        let worker: OutboxWorker

        init(_ script: [ScriptedArchive.Answer] = []) throws {
            fixture = try EngineFixture { $0.deliversToArchiveSystem = true }
            archive = ScriptedArchive(script)
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            let delivery = ArchiveDelivery(store: fixture.store, payloads: fixture.payloads, registrar: fixture.registrar,
                                           incoming: fixture.incoming, client: archive, settings: fixture.settings,
                                           time: fixture.time, logger: logger)
            worker = OutboxWorker(store: fixture.store, payloads: fixture.payloads,
                                  channels: ChannelDirectory([fixture.channel]), registrar: fixture.registrar,
                                  settings: fixture.settings, time: fixture.time, logger: logger, wakeUp: WakeUpSignal(),
                                  archiveDelivery: delivery)
        }
    }

    static let messageId = "5e0c9f0e-2a4b-4c1d-8e7f-9a0b1c2d3e4f"

    /// An arkivmelding from the other organisation to us, expiring in an hour.
    static func incomingSBD(_ time: Date) throws -> StandardBusinessDocument {
        let json = """
        {"standardBusinessDocumentHeader": {"headerVersion": "1.0",
          "sender": [{"identifier": {"authority": "iso6523-actorid-upis", "value": "0192:\(EngineFixture.receiverOrg)"}}],
          "receiver": [{"identifier": {"authority": "iso6523-actorid-upis", "value": "0192:\(EngineFixture.ownOrg)"}}],
          "documentIdentification": {"standard": "\(EngineFixture.documentType)", "typeVersion": "2.0",
            "instanceIdentifier": "\(messageId)", "type": "arkivmelding"},
          "businessScope": {"scope": [
            {"type": "ConversationId", "instanceIdentifier": "\(messageId)", "identifier": "\(EngineFixture.process)",
             "scopeInformation": [{"expectedResponseDateTime": "\(OsloTime.format(time.addingTimeInterval(3600)))"}]},
            {"type": "SenderRef", "instanceIdentifier": "2024/77-2", "identifier": "2024/77-2"}]}},
         "arkivmelding": {"sikkerhetsnivaa": 3, "hoveddokument": "arkivmelding.xml"}}
        """
        return try StandardBusinessDocument.decode(from: Data(json.utf8))
    }

    /// A container as the channel hands it in: arkivmelding.xml and the documents it names.
    static func container() throws -> [UInt8] {
        let melding = Melding(
            journpost: .init(fields: ["jpInnhold": "Søknad om tilskudd", "jpNdoktype": "I"],
                             avsmot: [.init(fields: ["amIhtype": "0", "amNavn": "Søkerkommune"])],
                             dokument: [.init(fields: ["veFilnavn": "soknad.pdf", "dbTittel": "Søknaden"],
                                              fil: Data("%PDF-1.7 søknad".utf8))]),
            noarksak: .init(fields: ["saTittel": "Tilskudd 2025", "saSaar": "2025", "saSeknr": "77"]))
        let converted = ArkivmeldingFromMelding(melding: melding, messageId: messageId, creator: EngineFixture.receiverOrg,
                                                now: Date(timeIntervalSince1970: 1_750_000_000))
        var out = Data()
        var zip = ZipStreamWriter(modified: Date(timeIntervalSince1970: 1_750_000_000)) { out.append($0) }
        _ = try zip.add(name: "arkivmelding.xml", source: .data(Data(converted.arkivmeldingXML.utf8)), method: .deflated)
        for document in converted.documents {
            _ = try zip.add(name: document.filename, source: .data(document.data), method: .deflated)
        }
        try zip.finish()
        return [UInt8](out)
    }

    static func receive(_ setup: Setup) async throws {
        let outcome = try await setup.fixture.incoming.receive(try incomingSBD(setup.fixture.time.now), via: .DPO,
                                                               container: Chunks(try container()))
        #expect(outcome == .stored)
    }

    @Test func anOKReceiptDeliversTheMessageAndSendsLEVERTBack() async throws {
        let s = try Setup()
        try await Self.receive(s)
        #expect(try await s.worker.runOnce() == 2, "the MOTTATT receipt and the archive delivery")
        let (envelope, melding) = try #require(s.archive.received.first)
        #expect(envelope.conversationId == Self.messageId)
        #expect(envelope.sender == NoarkAddress(orgnr: EngineFixture.receiverOrg, ref: "2024/77-2"))
        #expect(envelope.receiver.orgnr == EngineFixture.ownOrg)
        #expect(melding.journpost["jpInnhold"] == "Søknad om tilskudd")
        #expect(melding.noarksak["saSeknr"] == "77")
        #expect(melding.journpost.dokument.map { $0["veFilnavn"] } == ["soknad.pdf"])
        #expect(melding.journpost.dokument.first?.fil == Data("%PDF-1.7 søknad".utf8))

        #expect(try await s.fixture.statuses(Self.messageId, .INCOMING) == [.OPPRETTET, .INNKOMMENDE_MOTTATT, .INNKOMMENDE_LEVERT])
        let left = try await s.fixture.store.read { tx in try tx.incoming(messageId: Self.messageId) }
        #expect(left == nil, "no longer offered on /api/messages/in")
        #expect(try await s.worker.runOnce() == 1, "the LEVERT receipt")
        let receipts = s.fixture.channel.delivered.map { try? StandardBusinessDocument.decode(from: Data($0.delivery.sbd.utf8)) }
        let statuses = receipts.compactMap { sbd -> String? in
            if case .status(let status)? = sbd?.businessMessage { return status.status }
            return nil
        }
        #expect(statuses == ["MOTTATT", "LEVERT"])
    }

    @Test func anERRORReceiptIsRetriedWithBackOffAndShownInTheHistory() async throws {
        let s = try Setup([.receipt(.error(code: "E1", "Arkivdel mangler")), .fault("Database utilgjengelig")])
        try await Self.receive(s)
        #expect(try await s.worker.runOnce() == 2)
        #expect(s.archive.received.count == 1)
        #expect(try await s.worker.runOnce() == 0, "not before the retry delay")
        s.fixture.time.advance(by: s.fixture.settings.retry.delay(afterAttempt: 1) + 1)
        #expect(try await s.worker.runOnce() == 1)
        #expect(s.archive.received.count == 2)
        s.fixture.time.advance(by: s.fixture.settings.retry.delay(afterAttempt: 2) - 5)
        #expect(try await s.worker.runOnce() == 0, "the second pause is longer")
        let jobs = try await s.fixture.store.read { tx in try tx.jobs(messageId: Self.messageId) }
        #expect(jobs.first { $0.kind == .deliverToArchive }?.lastError?.contains("Database utilgjengelig") == true)
        s.fixture.time.advance(by: 10)
        #expect(try await s.worker.runOnce() >= 1)
        #expect(s.archive.received.count == 3)

        let conversation = try #require(try await s.fixture.store.read { tx in
            try tx.conversation(messageId: Self.messageId, direction: .INCOMING)
        })
        let history = conversation.messageStatuses.sorted { $0.id < $1.id }
        #expect(history.map(\.status) == [.OPPRETTET, .INNKOMMENDE_MOTTATT, .ANNET, .INNKOMMENDE_LEVERT])
        #expect(history[2].description?.contains("ERROR (E1: Arkivdel mangler)") == true)
    }

    @Test func theTimeToLiveEndsTheRetries() async throws {
        let s = try Setup(Array(repeating: .receipt(.error(code: "E", "Nei")), count: 50))
        try await Self.receive(s)
        _ = try await s.worker.runOnce()
        s.fixture.time.advance(by: 7200)
        _ = try await s.worker.runOnce()
        #expect(try await s.fixture.statuses(Self.messageId, .INCOMING).last == .LEVETID_UTLOPT)
        let jobs = try await s.fixture.store.read { tx in try tx.jobs(messageId: Self.messageId) }
        #expect(!jobs.contains { $0.kind == .deliverToArchive })
    }

    @Test func whileOnItsWayToTheArchiveTheMessageIsNotOfferedByPeek() async throws {
        let s = try Setup([.fault("nede")])
        try await Self.receive(s)
        await #expect(throws: NextMoveError.noContent) { try await s.fixture.incoming.peek(MessageQuery()) }
        _ = try await s.worker.runOnce()
        await #expect(throws: NextMoveError.noContent) { try await s.fixture.incoming.peek(MessageQuery()) }
    }

    @Test func aMessageThatCannotBeConvertedGetsFEILAndIsOfferedOnTheAPI() async throws {
        let s = try Setup()
        var zip = Data()
        var writer = ZipStreamWriter(modified: s.fixture.time.now) { zip.append($0) }
        _ = try writer.add(name: "brev.pdf", source: .data(Data("%PDF".utf8)), method: .stored)
        try writer.finish()
        let outcome = try await s.fixture.incoming.receive(try Self.incomingSBD(s.fixture.time.now), via: .DPO,
                                                           container: Chunks([UInt8](zip)))
        #expect(outcome == .stored)
        _ = try await s.worker.runOnce()
        #expect(s.archive.received.isEmpty)
        let statuses = try await s.fixture.statuses(Self.messageId, .INCOMING)
        #expect(statuses == [.OPPRETTET, .INNKOMMENDE_MOTTATT, .FEIL])
        let peeked = try await s.fixture.incoming.peek(MessageQuery())
        #expect(peeked.messageId == Self.messageId)
    }

    @Test func withoutAnArchiveSystemMessagesWaitOnTheAPI() async throws {
        let fixture = try EngineFixture()
        let outcome = try await fixture.incoming.receive(try Self.incomingSBD(fixture.time.now), via: .DPO,
                                                         container: Chunks(try Self.container()))
        #expect(outcome == .stored)
        let jobs = try await fixture.store.read { tx in try tx.jobs(messageId: Self.messageId) }
        #expect(jobs.map(\.kind) == [.sendStatus])
    }
}
