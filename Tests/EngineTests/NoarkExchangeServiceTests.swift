import Foundation
import Logging
import Testing
import Engine
import Model
import NoarkExchange
import Storage
import TestSupport

/// BEST/EDU inbound: PutMessage and GetCanReceiveMessage through the engine.
@Suite struct NoarkExchangeServiceTests {
    static let receiptProcess = "urn:no:difi:profile:arkivmelding:response:ver1.0"
    static let receiptType = "urn:no:difi:arkivmelding:xsd::arkivmelding_kvittering"
    static let dpvOrg = "910011111"
    static let person = "01017012345"

    struct Setup {
        let fixture: EngineFixture
        let service: NoarkExchangeService

        init(enabled: Set<ServiceIdentifier> = [.DPO], returnOkOnEmptyPayload: Bool = false) throws {
            fixture = try EngineFixture { $0.enabledServices = enabled }
            let registry = StaticServiceRecords([
                .init(receiver: EngineFixture.receiverOrg, process: EngineFixture.process,
                      documentTypes: [EngineFixture.documentType], serviceIdentifier: .DPO),
                .init(receiver: EngineFixture.receiverOrg, process: NoarkExchangeServiceTests.receiptProcess,
                      documentTypes: [NoarkExchangeServiceTests.receiptType], serviceIdentifier: .DPO),
                .init(receiver: NoarkExchangeServiceTests.dpvOrg, process: EngineFixture.process,
                      documentTypes: [EngineFixture.documentType], serviceIdentifier: .DPV),
            ])
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            let outgoing = OutgoingMessageService(store: fixture.store, payloads: fixture.payloads, registry: registry,
                                                  registrar: fixture.registrar, settings: fixture.settings,
                                                  time: fixture.time, wakeUp: WakeUpSignal(), logger: logger)
            service = NoarkExchangeService(outgoing: outgoing, registry: registry,
                                           settings: .init(returnOkOnEmptyPayload: returnOkOnEmptyPayload),
                                           engine: fixture.settings, time: fixture.time, logger: logger)
        }
    }

    static func melding() -> Melding {
        Melding(journpost: .init(fields: ["jpInnhold": "Vedtak", "jpJpostnr": "3", "jpOffinnhold": "Vedtak offentlig"],
                                 avsmot: [.init(fields: ["amIhtype": "1", "amNavn": "Testkommune"])],
                                 dokument: [
                                    .init(fields: ["dbTittel": "Vedtaket", "veFilnavn": "vedtak.pdf", "veMimeType": "application/pdf"],
                                          fil: Data("%PDF-1.4 vedtak".utf8)),
                                    .init(fields: ["dbTittel": "Kart", "veFilnavn": "kart.png", "veMimeType": "image/png"],
                                          fil: Data([0x89, 0x50, 0x4E, 0x47])),
                                 ]),
                noarksak: .init(fields: ["saTittel": "Tilskudd", "saId": "0b5d9a0e-6f6e-4a51-9d3c-3f2b1e7c9a10"]))
    }

    static func envelope(conversationId: String = "3f1c7a52-8b0e-4c2a-9d61-0e5b7a9c1d23",
                         to receiver: String = EngineFixture.receiverOrg) -> NoarkEnvelope {
        NoarkEnvelope(conversationId: conversationId,
                      sender: NoarkAddress(orgnr: EngineFixture.ownOrg, ref: "2024/12-3"),
                      receiver: NoarkAddress(orgnr: receiver, ref: "2023/9-1"))
    }

    @Test func aMeldingIsSentAsAnArkivmeldingWithItsDocuments() async throws {
        let s = try Setup()
        let receipt = await s.service.putMessage(envelope: Self.envelope(), payload: .melding(Self.melding()))
        #expect(receipt == .ok)
        let messageId = "3f1c7a52-8b0e-4c2a-9d61-0e5b7a9c1d23"
        #expect(try await s.fixture.worker.runOnce() == 1)
        let delivered = try #require(s.fixture.channel.delivered.first)
        #expect(delivered.delivery.messageId == messageId)
        let sbd = try StandardBusinessDocument.decode(from: Data(delivered.delivery.sbd.utf8))
        #expect(sbd.messageType == .arkivmelding)
        #expect(sbd.conversationId == messageId)
        #expect(sbd.processIdentifier == EngineFixture.process)
        #expect(sbd.senderRef == "2024/12-3")
        #expect(sbd.receiverRef == "2023/9-1")
        #expect(sbd.receiverIdentifier == EngineFixture.receiverOrg)
        #expect(sbd.businessMessage.hoveddokument == "arkivmelding.xml")
        #expect(delivered.delivery.files.map(\.filename) == ["arkivmelding.xml", "vedtak.pdf", "kart.png"])
        #expect(delivered.delivery.files.map(\.mimeType) == ["application/xml", "application/pdf", "image/png"])
        #expect(delivered.contents["kart.png"] == [0x89, 0x50, 0x4E, 0x47])
        let summary = try ArkivmeldingSummary.parse(Data(try #require(delivered.contents["arkivmelding.xml"])))
        #expect(summary.offentligTittel == "Vedtak offentlig")
        #expect(summary.journalpostnummer == "3")
        #expect(summary.referanseDokumentfiler == ["vedtak.pdf", "kart.png"])
        #expect(try await s.fixture.statuses(messageId) == [.OPPRETTET, .SENDT])
    }

    @Test func aConversationIdThatIsNoUUIDGetsANewMessageId() async throws {
        let s = try Setup()
        let receipt = await s.service.putMessage(envelope: Self.envelope(conversationId: "SAK-2024-12"),
                                                 payload: .melding(Self.melding()))
        #expect(receipt == .ok)
        _ = try await s.fixture.worker.runOnce()
        let delivered = try #require(s.fixture.channel.delivered.first)
        #expect(UUID(uuidString: delivered.delivery.messageId) != nil)
    }

    @Test func aReceiverWithoutServiceRecordGetsCode16AndNothingIsStored() async throws {
        let s = try Setup()
        let receipt = await s.service.putMessage(envelope: Self.envelope(to: "999999999"), payload: .melding(Self.melding()))
        #expect(receipt == .error(code: "16", "Fant ikke service record for identifikator"))
        let stored = try await s.fixture.store.read { tx in try tx.outgoing(messageId: "3f1c7a52-8b0e-4c2a-9d61-0e5b7a9c1d23") }
        #expect(stored == nil)
        #expect(try await s.fixture.worker.runOnce() == 0)
    }

    @Test func aMissingPayloadGetsCode8UnlessConfiguredOtherwise() async throws {
        let s = try Setup()
        #expect(await s.service.putMessage(envelope: Self.envelope(), payload: .empty)
                == .error(code: "8", "Request has missing or empty payload"))
        let lenient = try Setup(returnOkOnEmptyPayload: true)
        #expect(await lenient.service.putMessage(envelope: Self.envelope(), payload: .empty) == .ok)
    }

    @Test func aDisabledChannelIsRefusedWithTheEnginesTextAndNothingHalfStored() async throws {
        let s = try Setup()
        let receipt = await s.service.putMessage(envelope: Self.envelope(to: Self.dpvOrg), payload: .melding(Self.melding()))
        #expect(receipt.type == .ERROR)
        #expect(receipt.messages.first?.text.contains("DPV") == true)
        let stored = try await s.fixture.store.read { tx in try tx.outgoing(messageId: "3f1c7a52-8b0e-4c2a-9d61-0e5b7a9c1d23") }
        #expect(stored == nil)
        #expect(try await s.fixture.worker.runOnce() == 0)
    }

    @Test func anAppReceiptBecomesAnArkivmeldingKvittering() async throws {
        let s = try Setup()
        let receipt = AppReceipt(type: .ERROR, messages: [.init(code: "ERR", text: "Mangler saksnummer")])
        #expect(await s.service.putMessage(envelope: Self.envelope(), payload: .appReceipt(receipt)) == .ok)
        _ = try await s.fixture.worker.runOnce()
        let delivered = try #require(s.fixture.channel.delivered.first)
        let sbd = try StandardBusinessDocument.decode(from: Data(delivered.delivery.sbd.utf8))
        guard case .arkivmeldingKvittering(let kvittering) = sbd.businessMessage else {
            Issue.record("not an arkivmelding_kvittering: \(sbd.messageType)")
            return
        }
        #expect(kvittering.receiptType == "ERROR")
        #expect(kvittering.relatedToMessageId == "3f1c7a52-8b0e-4c2a-9d61-0e5b7a9c1d23")
        #expect(kvittering.messages == [KvitteringStatusMessage(code: "ERR", text: "Mangler saksnummer")])
        #expect(sbd.processIdentifier == Self.receiptProcess)
        #expect(sbd.conversationId == "3f1c7a52-8b0e-4c2a-9d61-0e5b7a9c1d23")
    }

    @Test func canReceiveAsksTheRegistryForAnEnabledArkivmeldingChannel() async throws {
        let s = try Setup(enabled: [.DPO])
        #expect(await s.service.canReceive(NoarkAddress(orgnr: EngineFixture.receiverOrg)))
        #expect(await !s.service.canReceive(NoarkAddress(orgnr: Self.dpvOrg)), "DPV is not enabled here")
        #expect(await !s.service.canReceive(NoarkAddress(orgnr: "999999999")))
        #expect(await !s.service.canReceive(NoarkAddress(orgnr: "")))
        #expect(await !s.service.canReceive(NoarkAddress(orgnr: Self.person)))
        let dpv = try Setup(enabled: [.DPO, .DPV])
        #expect(await dpv.service.canReceive(NoarkAddress(orgnr: Self.dpvOrg)))
    }
}
