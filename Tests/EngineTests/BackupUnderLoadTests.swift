import Foundation
import Synchronization
import Testing
@testable import Engine
import Model
import Storage
import TestSupport

@Suite("Backup and restore of the embedded store")
struct BackupUnderLoadTests {
    /// What the writer has done: the messages whose send has returned, and whether the backup has finished.
    private final class Progress: Sendable {
        let state = Mutex<(sent: [String], backupDone: Bool)>(([], false))
        var sent: [String] { state.withLock { $0.sent } }
    }

    @Test("A backup taken while messages are sent restores every message, status and payload")
    func backupWhileWriting() async throws {
        let f = try EngineFixture()
        let progress = Progress()
        let writer = Task {
            var n = 0
            while true {
                let (count, done) = progress.state.withLock { ($0.sent.count, $0.backupDone) }
                if done && count >= 30 { break }
                let messageId = try await f.createAndSend()
                // At every other message the outbox runs: one of the two due jobs is delivered (its payloads
                // deleted), the other fails for now and waits for a retry (the clock does not move).
                if n % 2 == 1 {
                    f.channel.failNext(.transient("broker busy"))
                    try await f.worker.runOnce()
                }
                progress.state.withLock { $0.sent.append(messageId) }
                n += 1
                if n > 400 { break }
            }
        }
        while progress.sent.count < 10 { try await Task.sleep(for: .milliseconds(10)) }
        let before = Set(progress.sent)
        let backupFolder = f.root.deletingLastPathComponent().appendingPathComponent("backup-\(UUID().uuidString)")
        let summary = try StoreBackup.backup(databasePath: f.store.path,
                                             payloadFolder: f.root.appendingPathComponent("messages"),
                                             to: backupFolder, version: "test")
        progress.state.withLock { $0.backupDone = true }
        try await writer.value
        #expect(summary.payloadFiles > 0)

        // Restore into a new, empty working directory and open it as the integration point would.
        let restored = f.root.deletingLastPathComponent().appendingPathComponent("restored-\(UUID().uuidString)")
        let databasePath = restored.appendingPathComponent("integrasjonspunkt.sqlite").path
        try StoreBackup.restore(from: backupFolder, databasePath: databasePath,
                                payloadFolder: restored.appendingPathComponent("messages"))
        let store = try SQLiteMessageStore(path: databasePath)
        let payloads = PayloadVault(store: try FilePayloadStore(root: restored.appendingPathComponent("messages")),
                                    cipher: PlainPayloadCipher())

        for messageId in before {
            let conversation = try await store.read { tx in try tx.conversation(messageId: messageId, direction: .OUTGOING) }
            let original = try await f.store.read { tx in try tx.conversation(messageId: messageId, direction: .OUTGOING) }
            let statuses = try #require(conversation?.messageStatuses.map(\.status), "\(messageId) is in the backup")
            #expect(statuses.first == .OPPRETTET)
            // The backup holds a prefix of what the live store has now (it was taken earlier).
            let live = original?.messageStatuses.map(\.status) ?? []
            #expect(Array(live.prefix(statuses.count)) == statuses)
        }
        // Every file the restored store lists is restored; a message waiting in the outbox has both files and its
        // job. (The snapshot may also catch a message still being created, with fewer files and no job yet.)
        let stored = try await store.read { tx in try tx.findOutgoing(MessageQuery(), page: PageRequest(size: 1000)) }
        let waiting = stored.content.filter { $0.state == .sending }
        #expect(!waiting.isEmpty)
        for message in stored.content {
            let files = try await store.read { tx in try tx.files(messageId: message.messageId) }
            for file in files {
                #expect(payloads.exists(messageId: message.messageId, key: file.payloadKey),
                        "\(message.messageId)/\(file.filename) restored")
            }
            let jobs = try await store.read { tx in try tx.jobs(messageId: message.messageId) }
            if message.state == .sending {
                #expect(files.count == 2)
                #expect(jobs.count == 1)
            } else {
                #expect(files.count <= 2)
                #expect(jobs.isEmpty)
            }
        }

        // A second restore into the same place is refused, naming what is in the way.
        #expect {
            try StoreBackup.restore(from: backupFolder, databasePath: databasePath,
                                    payloadFolder: restored.appendingPathComponent("messages"))
        } throws: { error in
            "\(error)".contains("Will not restore over an existing store") && "\(error)".contains(databasePath)
        }
        // A backup never goes into a folder that holds something.
        #expect(throws: StoreBackup.Problem.self) {
            try StoreBackup.backup(databasePath: f.store.path, payloadFolder: nil, to: backupFolder)
        }
    }
}
