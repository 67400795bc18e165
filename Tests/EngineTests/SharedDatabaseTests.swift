import Foundation
import Logging
import Testing
@testable import Engine
import Model
import Storage
import TestSupport

/// Two instances of the engine on one PostgreSQL database (`IP_TEST_POSTGRES_URL`, set by `scripts/test.sh`), doing
/// the same work at the same moment, as two integration points polling one broker do.
@Suite("Several instances on one PostgreSQL database",
       .enabled(if: SharedDatabase.url != nil || SharedDatabase.isCI))
struct SharedDatabaseTests {
    /// One instance: its own connections to the shared schema, its own services.
    struct Instance {
        let store: PostgresMessageStore
        let incoming: IncomingMessageService
        let outgoing: OutgoingMessageService
        let registrar: StatusRegistrar
        let sweeper: ExpirySweeper

        init(schema: String, time: ManualTimeSource) async throws {
            store = try await PostgresMessageStore(configuration: SharedDatabase.configuration(schema: schema))
            let payloads = PayloadVault(store: try await PostgresPayloadStore(store: store), cipher: PlainPayloadCipher())
            var settings = EngineSettings(orgNumber: EngineFixture.ownOrg)
            settings.enabledServices = [.DPO]
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            registrar = StatusRegistrar(settings: settings, logger: logger)
            incoming = IncomingMessageService(store: store, payloads: payloads, registrar: registrar,
                                              settings: settings, time: time, wakeUp: WakeUpSignal(), logger: logger)
            sweeper = ExpirySweeper(store: store, payloads: payloads, registrar: registrar, settings: settings,
                                    time: time, logger: logger)
            let registry = StaticServiceRecords([
                .init(receiver: EngineFixture.receiverOrg, process: EngineFixture.process,
                      documentTypes: [EngineFixture.documentType], serviceIdentifier: .DPO),
            ])
            outgoing = OutgoingMessageService(store: store, payloads: payloads, registry: registry,
                                              registrar: registrar, settings: settings, time: time,
                                              wakeUp: WakeUpSignal(), logger: logger)
        }
    }

    func pair() async throws -> (Instance, Instance, EngineFixture) {
        let fixture = try EngineFixture()
        let schema = SharedDatabase.newSchemaName()
        return (try await Instance(schema: schema, time: fixture.time),
                try await Instance(schema: schema, time: fixture.time), fixture)
    }

    func incomingSBD(_ f: EngineFixture, ttl: TimeInterval = 3600) throws -> StandardBusinessDocument {
        var sbd = try f.arkivmelding(ttl: ttl)
        sbd.standardBusinessDocumentHeader.sender = [Partner(PartnerIdentifier.organization(EngineFixture.receiverOrg))]
        sbd.standardBusinessDocumentHeader.receiver = [Partner(PartnerIdentifier.organization(EngineFixture.ownOrg))]
        return sbd
    }

    @Test("Both instances receive the same broker files at once: each message is stored once, with one status history and one receipt, and the second sees a duplicate, not an error")
    func sameBrokerFileTwice() async throws {
        let (first, second, f) = try await pair()
        let messages = try (0..<12).map { _ in try incomingSBD(f) }
        for sbd in messages {
            let container = Array("sealed container of \(sbd.messageId ?? "")".utf8)
            async let a = first.incoming.receive(sbd, via: .DPO, container: Chunks(container, size: 7))
            async let b = second.incoming.receive(sbd, via: .DPO, container: Chunks(container, size: 7))
            let outcomes = try await [a, b]
            #expect(outcomes.filter { $0 == .stored }.count == 1, "\(outcomes)")
            #expect(outcomes.filter { $0 == .duplicate }.count == 1, "\(outcomes)")
        }
        for sbd in messages {
            let messageId = try #require(sbd.messageId)
            let (conversation, jobs, stored) = try await first.store.read { tx in
                (try tx.conversation(messageId: messageId, direction: .INCOMING), try tx.jobs(messageId: messageId),
                 try tx.incoming(messageId: messageId))
            }
            #expect(conversation?.messageStatuses.map(\.status) == [.OPPRETTET, .INNKOMMENDE_MOTTATT])
            #expect(jobs.map(\.kind) == [.sendStatus], "one MOTTATT receipt")
            #expect(stored != nil)
        }
        #expect(try await first.store.read { tx in try tx.countMessages(direction: .INCOMING) } == messages.count)
    }

    @Test("MOTTATT and LEVERT for one message, each downloaded by both instances at once: each registered once, and the conversation ends finished")
    func receiptsOnBothInstances() async throws {
        let (first, second, f) = try await pair()
        var ids: [String] = []
        for n in 0..<10 {
            let messageId = "00000000-0000-0000-0000-\(String(format: "%012d", n))"
            ids.append(messageId)
            let conversation = Conversation(
                conversationId: "conv-\(n)", messageId: messageId, sender: "0192:\(EngineFixture.ownOrg)",
                receiver: "0192:\(EngineFixture.receiverOrg)", senderIdentifier: EngineFixture.ownOrg,
                receiverIdentifier: EngineFixture.receiverOrg, processIdentifier: EngineFixture.process,
                documentIdentifier: EngineFixture.documentType, messageTitle: "", lastUpdate: f.time.now,
                direction: .OUTGOING, serviceIdentifier: .DPO)
            try await first.store.write { [registrar = first.registrar] tx in
                var stored = conversation
                stored.id = try tx.insertConversation(conversation)
                try registrar.register(.OPPRETTET, on: &stored, at: f.time.now, in: tx)
                try registrar.register(.SENDT, on: &stored, at: f.time.now, in: tx)
            }
        }
        for messageId in ids {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for instance in [first, second, first, second] {
                    for status in [ReceiptStatus.MOTTATT, .LEVERT] {
                        group.addTask {
                            try await instance.store.write { [registrar = instance.registrar] tx in
                                _ = try registrar.register(status, messageId: messageId, direction: .OUTGOING,
                                                           at: f.time.now, in: tx)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        for messageId in ids {
            let conversation = try #require(try await second.store.read { tx in
                try tx.conversation(messageId: messageId, direction: .OUTGOING)
            })
            #expect(conversation.messageStatuses.map(\.status).sorted { $0.rawValue < $1.rawValue }
                == [.LEVERT, .MOTTATT, .OPPRETTET, .SENDT])
            #expect(conversation.finished, "LEVERT finishes the conversation, whichever instance registered it")
        }
    }

    @Test("Two expiry sweeps at once expire each message once")
    func expiryOnBothInstances() async throws {
        let (first, second, f) = try await pair()
        for _ in 0..<15 {
            let sbd = try incomingSBD(f, ttl: 60)
            #expect(try await first.incoming.receive(sbd, via: .DPO, container: Chunks([1, 2, 3])) == .stored)
        }
        f.time.advance(by: 120)
        async let a = first.sweeper.runOnce()
        async let b = second.sweeper.runOnce()
        let (expiredByFirst, expiredBySecond) = try await (a, b)
        #expect(expiredByFirst.count + expiredBySecond.count == 15, "\(expiredByFirst) \(expiredBySecond)")
        #expect(Set(expiredByFirst).isDisjoint(with: expiredBySecond))
        let statuses = try await first.store.read { tx in
            try tx.findStatuses(StatusQuery(), page: PageRequest(page: 0, size: 500, sort: []))
        }
        #expect(statuses.content.filter { $0.status == .LEVETID_UTLOPT }.count == 15)
    }

    @Test("Sends on one instance while the other sweeps, after the time to live: every send answers the 400, each message has LEVETID_UTLOPT once and is kept expired, with no files and no send job")
    func sendWhileTheOtherSweeps() async throws {
        let (first, second, f) = try await pair()
        var ids: [String] = []
        for _ in 0..<12 {
            let created = try await first.outgoing.create(try f.arkivmelding(ttl: 10))
            let messageId = try #require(created.messageId)
            try await first.outgoing.upload(
                messageId: messageId,
                file: UploadedFile(filename: "arkivmelding.xml", title: "Arkivmelding", contentType: "application/xml",
                                   declaredSize: nil),
                content: Chunks(Array(EngineFixture.arkivmeldingXML.utf8)))
            ids.append(messageId)
        }
        f.time.advance(by: 11)
        async let swept = second.sweeper.runOnce()
        let answers = await withTaskGroup(of: String?.self) { group in
            for messageId in ids {
                group.addTask {
                    do {
                        try await first.outgoing.send(messageId: messageId)
                        return "200"
                    } catch let error as NextMoveError {
                        return error.exception
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        _ = try await swept
        #expect(answers.allSatisfy { $0 == "no.difi.meldingsutveksling.exceptions.TimeToLiveException" }, "\(answers)")
        for messageId in ids {
            let (conversation, message, files, jobs) = try await first.store.read { tx in
                (try tx.conversation(messageId: messageId, direction: .OUTGOING), try tx.outgoing(messageId: messageId),
                 try tx.files(messageId: messageId), try tx.jobs(messageId: messageId))
            }
            #expect(conversation?.messageStatuses.map(\.status) == [.OPPRETTET, .LEVETID_UTLOPT])
            #expect(message?.state == .expired)
            #expect(files.isEmpty && jobs.isEmpty)
        }
    }
}

/// The PostgreSQL server of `scripts/test.sh` (`IP_TEST_POSTGRES_URL`); each test gets a schema of its own.
enum SharedDatabase {
    static var url: String? {
        ProcessInfo.processInfo.environment["IP_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isCI: Bool {
        ["true", "1", "yes"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")
    }

    static func configuration(schema: String) throws -> PostgresStoreConfiguration {
        guard let url else {
            throw FixtureError("IP_TEST_POSTGRES_URL is not set; run scripts/test.sh, which starts a throwaway PostgreSQL.")
        }
        var configuration = try PostgresStoreConfiguration(url: url, poolSize: 4)
        configuration.schema = schema
        return configuration
    }

    static func newSchemaName() -> String {
        "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}
