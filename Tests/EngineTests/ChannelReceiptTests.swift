import Foundation
import Logging
import Testing
@testable import Engine
import Model
import Storage
import TestSupport

@Suite("Channel receipts and channel defaults at create")
struct ChannelReceiptTests {
    func conversationId(_ f: EngineFixture, _ messageId: String) async throws -> String {
        try #require(try await f.store.read { try $0.conversation(messageId: messageId, direction: .OUTGOING) }?.conversationId)
    }

    func times(_ f: EngineFixture, _ messageId: String) async throws -> [ReceiptStatus: Date] {
        let conversation = try await f.store.read { try $0.conversation(messageId: messageId, direction: .OUTGOING) }
        return Dictionary((conversation?.messageStatuses ?? []).map { ($0.status, $0.lastUpdate) }, uniquingKeysWith: { a, _ in a })
    }

    @Test("a LEVERT receipt without MOTTATT records MOTTATT a second before it; the same receipt again changes nothing")
    func leveredWithoutMottatt() async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend()
        try await f.worker.runOnce()
        let at = f.time.now.addingTimeInterval(120)
        let receipt = IncomingMessageService.ChannelReceipt(
            conversationId: try await conversationId(f, messageId), status: .LEVERT, description: "Levert i postkassen",
            rawReceipt: "eyJ…", at: at, recordsMottattBeforeLevert: true)
        #expect(try await f.incoming.registerReceipt(receipt, via: .DPO) == .registered)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .MOTTATT, .LEVERT])
        let times = try await times(f, messageId)
        #expect(times[.LEVERT] == at)
        #expect(times[.MOTTATT] == at.addingTimeInterval(-1))
        #expect(try await f.incoming.registerReceipt(receipt, via: .DPO) == .alreadyRegistered)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .MOTTATT, .LEVERT])
        let row = try await f.store.read { try $0.conversation(messageId: messageId, direction: .OUTGOING) }?
            .messageStatuses.first { $0.status == .LEVERT }
        #expect(row?.description == "Levert i postkassen")
        #expect(row?.rawReceipt == "eyJ…")
    }

    @Test("a receipt before SENDT is recorded is preceded by SENDT; one of another channel or conversation is ignored")
    func orderAndStrangers() async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend()
        let conversation = try await conversationId(f, messageId)
        #expect(try await f.incoming.registerReceipt(.init(conversationId: conversation, status: .LEST), via: .DPI) == .unknownConversation)
        #expect(try await f.incoming.registerReceipt(.init(conversationId: "no-such", status: .LEST), via: .DPO) == .unknownConversation)
        #expect(try await f.incoming.registerReceipt(.init(conversationId: conversation, status: .LEST), via: .DPO) == .registered)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .LEST])
    }

    /// A channel that fills the print addresses at create, as DPI does from the registry's record.
    struct PrintDefaultsChannel: MessageChannel {
        let serviceIdentifier: ServiceIdentifier = .DPI
        func applyDefaults(to sbd: inout StandardBusinessDocument) async throws {
            let address = RegistryPostAddress(name: "Ola Nordmann", street: "Fjellveien 1", postalCode: "3400", postalArea: "FJELLET")
            SBDDefaults.applyPrintAddresses(to: &sbd, postAddress: address, returnAddress: address)
        }
        func send(_ delivery: OutgoingDelivery) async throws -> SendReceipt { .sent }
    }

    @Test("the channel's defaults are filled in before the create rules: a print letter to a citizen needs no addresses")
    func channelDefaultsBeforeRules() async throws {
        let f = try EngineFixture()
        let citizen = "15038010015"
        let process = "urn:no:difi:profile:digitalpost:vedtak:ver1.0"
        let registry = StaticServiceRecords([.init(receiver: citizen, process: process,
                                                   documentTypes: ["urn:no:difi:digitalpost:xsd:fysisk::print"], serviceIdentifier: .DPI)])
        var settings = f.settings
        settings.enabledServices = [.DPI]
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        func service(_ channels: [any MessageChannel]) -> OutgoingMessageService {
            OutgoingMessageService(store: f.store, payloads: f.payloads, registry: registry, registrar: f.registrar, settings: settings,
                                   time: f.time, wakeUp: WakeUpSignal(), logger: logger, channels: ChannelDirectory(channels))
        }
        func print() throws -> StandardBusinessDocument {
            try StandardBusinessDocument.decode(from: Data("""
            {"standardBusinessDocumentHeader":{"headerVersion":"1.0",
              "receiver":[{"identifier":{"authority":"iso6523-actorid-upis","value":"\(citizen)"}}],
              "documentIdentification":{"standard":"urn:no:difi:digitalpost:xsd:fysisk::print","typeVersion":"1.0","type":"print"},
              "businessScope":{"scope":[{"type":"ConversationId","identifier":"\(process)"}]}},
             "print":{"hoveddokument":"brev.pdf"}}
            """.utf8))
        }
        await #expect(throws: NextMoveError.missingAddressInformation("mottaker")) {
            _ = try await service([]).create(try print())
        }
        let created = try await service([PrintDefaultsChannel()]).create(try print())
        guard case .print(let message) = created.businessMessage else { Issue.record("not print"); return }
        #expect(message.mottaker?.adresselinje1 == "Fjellveien 1")
        #expect(message.retur?.returhaandtering == "DIREKTE_RETUR")
    }
}
