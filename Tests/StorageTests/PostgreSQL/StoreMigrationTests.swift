import Foundation
@testable import Storage
import Testing

@Suite("migrate-store: the embedded store into PostgreSQL", .enabled(if: PostgresTestDatabase.isRequested))
struct StoreMigrationTests {
    /// An embedded store with something in every table: messages created, uploading and sending, an incoming
    /// message waiting and one locked by a peek, conversations with statuses, queued status events, outbox jobs
    /// (one leased), a webhook subscription with a delivery, payloads as files and in the database.
    func populatedEmbeddedStore() async throws -> (folder: URL, store: SQLiteMessageStore) {
        let folder = TestFolder.make("migrate")
        let store = try SQLiteMessageStore(path: folder.appendingPathComponent("integrasjonspunkt.sqlite").path)
        let files = try FilePayloadStore(root: folder.appendingPathComponent("messages"))
        try await store.write { tx in
            try tx.insertOutgoing(Fixture.outgoing(1))
            var sending = Fixture.outgoing(2)
            sending.state = .sending
            try tx.insertOutgoing(sending)
            try tx.insertFile(StoredFileRecord(messageId: Fixture.messageId(2), payloadKey: "arkivmelding.xml",
                                               filename: "arkivmelding.xml", title: "Arkivmelding",
                                               mimeType: "application/xml", size: 5, dokumentnummer: 1,
                                               primaryDocument: true))
            try tx.insertIncoming(Fixture.incoming(3))
            var locked = Fixture.incoming(4)
            locked.lockTimeout = Clock.at(600)
            try tx.insertIncoming(locked)
            for (n, direction) in [(1, ConversationDirection.OUTGOING), (2, .OUTGOING), (3, .INCOMING), (4, .INCOMING),
                                   (5, .OUTGOING)] {
                var conversation = Fixture.conversation(n, direction: direction, title: "Sak \(n) Ærlig")
                conversation.messageReference = "ref-\(n)"
                let id = try tx.insertConversation(conversation)
                let statuses: [ReceiptStatus] = n == 5 ? [.OPPRETTET, .SENDT, .MOTTATT, .LEVERT] : [.OPPRETTET]
                for (index, status) in statuses.enumerated() {
                    let row = try tx.appendStatus(conversationId: id, status: status, description: "d\(index)",
                                                  rawReceipt: nil, at: Clock.at(Double(n * 10 + index)))
                    if status == .LEVERT { try tx.enqueueStatusEvent(statusId: row.id) }
                }
                if n == 5 {
                    conversation.id = id
                    conversation.finished = true
                    try tx.updateConversation(conversation)
                }
            }
            _ = try tx.insertJob(OutboxJob(kind: .sendMessage, messageId: Fixture.messageId(2), createdAt: Clock.at(2),
                                           nextAttemptAt: Clock.at(2)))
            _ = try tx.claimDueJobs(limit: 1, now: Clock.at(3), leaseUntil: Clock.at(33), owner: "old-instance")
            _ = try tx.insertJob(OutboxJob(kind: .sendStatus, messageId: Fixture.messageId(3), payload: #"{"s":1}"#,
                                           createdAt: Clock.at(3), nextAttemptAt: Clock.at(3)))
            let subscription = try tx.insertSubscription(WebhookSubscription(
                name: "Incoming", pushEndpoint: "http://archive/hooks", resource: "messages", event: "status",
                filter: "direction=INCOMING"))
            _ = try tx.insertDelivery(WebhookDelivery(subscriptionId: subscription, payload: #"{"e":1}"#,
                                                      createdAt: Clock.at(5), nextAttemptAt: Clock.at(5)))
        }
        _ = try await files.write(messageId: Fixture.messageId(2), key: "arkivmelding.xml",
                                  bytes: Array("<a/>\n".utf8))
        _ = try await files.write(messageId: Fixture.messageId(3), key: "asic.zip", bytes: PatternBytes.bytes(70_001),
                                  chunkSize: 9_999)
        let database = try DatabasePayloadStore(store: store, rowSize: 1_000)
        _ = try await database.write(messageId: Fixture.messageId(4), key: "asic.zip", bytes: PatternBytes.bytes(2_500))
        return (folder, store)
    }

    @Test func everyRowAndPayloadArrivesWithItsIdAndTheTargetCarriesOn() async throws {
        let (folder, source) = try await populatedEmbeddedStore()
        let target = try PostgresTestDatabase.configuration()
        let summary = try await StoreMigration.migrate(
            databasePath: source.path, payloadFolder: folder.appendingPathComponent("messages"), to: target)
        #expect(summary.counts.allSatisfy { $0.source == $0.target }, "\(summary.table)")
        #expect(summary.counts.first { $0.name == "payloads" }?.target == 3)
        #expect(summary.counts.first { $0.name == "message_status" }?.target == 8)
        #expect(summary.payloadBytes == 5 + 70_001 + 2_500)

        let migrated = try await PostgresMessageStore(configuration: target)
        let page = PageRequest(page: 0, size: 100, sort: [SortOrder("id")])
        let before = try await Self.snapshot(source, page: page)
        let after = try await Self.snapshot(migrated, page: page)
        #expect(before.count == after.count)
        for (old, new) in zip(before, after) {
            #expect(old == new)
        }
        // The free-text filter works on migrated conversations (search_text is filled in).
        var text = ConversationQuery()
        text.text = "ærlig"
        let query = text
        #expect(try await migrated.read { try $0.findConversations(query, page: page).totalElements } == 5)
        // The old instance's lease is gone: the job is claimable at once.
        let claimed = try await migrated.write {
            try $0.claimDueJobs(limit: 10, now: Clock.at(4), leaseUntil: Clock.at(60), owner: "new")
        }
        #expect(claimed.count == 2)
        // New rows continue after the copied ids.
        let newId = try await migrated.write { try $0.insertConversation(Fixture.conversation(6)) }
        #expect(newId == 6)
        let payloads = try await PostgresPayloadStore(store: migrated)
        #expect(try await payloads.readAll(messageId: Fixture.messageId(3), key: "asic.zip").bytes
            == PatternBytes.bytes(70_001))
        #expect(try await payloads.readAll(messageId: Fixture.messageId(4), key: "asic.zip").bytes
            == PatternBytes.bytes(2_500))
    }

    /// Everything the contract shows of a store, as text: conversations with statuses, statuses, messages,
    /// files, subscriptions and the status queue.
    static func snapshot(_ store: any MessageStore, page: PageRequest) async throws -> [String] {
        try await store.read { tx in
            [
                "conversations \(try tx.findConversations(ConversationQuery(), page: page).content)",
                "statuses \(try tx.findStatuses(StatusQuery(), page: page).content)",
                "outgoing \(try tx.findOutgoing(MessageQuery(), page: page).content)",
                "incoming \(try tx.findIncoming(MessageQuery(), page: page).content)",
                "files \(try tx.files(messageId: Fixture.messageId(2)))",
                "subscriptions \(try tx.allSubscriptions())",
                "status queue \(String(describing: try tx.oldestQueuedStatus()))",
            ]
        }
    }

    @Test func aTargetThatHoldsAnythingIsRefusedAndLeftAlone() async throws {
        let (folder, source) = try await populatedEmbeddedStore()
        let target = try PostgresTestDatabase.configuration()
        let occupied = try await PostgresMessageStore(configuration: target)
        try await occupied.write { tx in try tx.insertOutgoing(Fixture.outgoing(99)) }
        await #expect {
            _ = try await StoreMigration.migrate(
                databasePath: source.path, payloadFolder: folder.appendingPathComponent("messages"), to: target)
        } throws: { error in
            let text = "\(error)"
            return text.contains("not empty") && text.contains("outgoing_message: 1") && text.contains("--to")
        }
        #expect(try await occupied.read { try $0.countMessages(direction: .OUTGOING) } == 1)
    }

    @Test func aMissingEmbeddedDatabaseIsNamed() async throws {
        let folder = TestFolder.make("migrate-missing")
        await #expect {
            _ = try await StoreMigration.migrate(
                databasePath: folder.appendingPathComponent("integrasjonspunkt.sqlite").path,
                payloadFolder: folder.appendingPathComponent("messages"), to: try PostgresTestDatabase.configuration())
        } throws: { error in
            "\(error)".contains("no embedded database") && "\(error)".contains("--database")
        }
    }
}
