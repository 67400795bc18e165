import Foundation
import Testing
@testable import Engine
import Model
@testable import Storage
import TestSupport

/// Disk use per finished message, measured: messages go through the engine to LEVERT, then the database is
/// checkpointed and measured. `DISK_USE_MESSAGES=N` measures with more messages (the README's figure).
@Suite("Disk use per finished message")
struct DiskUseTests {
    /// Sends one arkivmelding (two files, 10 kB), delivers it and registers MOTTATT and LEVERT from the receiver.
    private func finishOne(_ f: EngineFixture) async throws {
        let messageId = try await f.createAndSend()
        try await f.worker.runOnce()
        let original = try #require(f.channel.delivered.last?.delivery.sbd)
        let sent = try StandardBusinessDocument.decode(from: Data(original.utf8))
        for status in [ReceiptStatus.MOTTATT, .LEVERT] {
            let receipt = StandardBusinessDocument.statusReceipt(
                for: sent, status: status, receiptProcess: f.settings.arkivmeldingReceiptProcess, now: f.time.now)
            _ = try await f.incoming.receive(receipt, via: .DPO, container: Optional<Chunks>.none)
        }
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT, .MOTTATT, .LEVERT])
    }

    /// Bytes on disk: the database (after a checkpoint, so the WAL is empty) and the payload folder.
    private func measure(_ f: EngineFixture) throws -> (database: Int64, files: Int64) {
        _ = try f.store.writerTexts("PRAGMA wal_checkpoint(TRUNCATE)")
        var database: Int64 = 0
        for suffix in ["", "-wal", "-shm"] {
            let path = f.store.path + suffix
            database += (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        }
        var files: Int64 = 0
        let folder = f.root.appendingPathComponent("messages")
        if let walker = FileManager.default.enumerator(atPath: folder.path) {
            while let name = walker.nextObject() as? String {
                let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
                if attributes?[.type] as? FileAttributeType == .typeRegular { files += attributes?[.size] as? Int64 ?? 0 }
            }
        }
        return (database, files)
    }

    @Test("A finished message costs a few kilobytes of database and no payload files")
    func perFinishedMessage() async throws {
        let total = Int(ProcessInfo.processInfo.environment["DISK_USE_MESSAGES"] ?? "") ?? 200
        let warmUp = max(total / 4, 20)
        let f = try EngineFixture { $0.concurrency = 1 }
        for _ in 0..<warmUp { try await finishOne(f) }
        let start = try measure(f)
        for _ in warmUp..<total { try await finishOne(f) }
        let end = try measure(f)
        let count = Double(total - warmUp)
        let databasePerMessage = Double(end.database - start.database) / count
        let filesPerMessage = Double(end.files - start.files) / count
        let perMillionMB = (databasePerMessage + filesPerMessage) * 1_000_000 / 1_000_000
        print("""
            disk use per finished message (\(total - warmUp) measured after \(warmUp)): \
            database \(Int(databasePerMessage)) bytes, payload files \(Int(filesPerMessage)) bytes; \
            about \(Int(perMillionMB.rounded())) MB per million messages
            """)
        #expect(end.files == 0, "payloads are removed as soon as a message is done")
        #expect(databasePerMessage > 0)
        #expect(databasePerMessage < 16_000, "\(databasePerMessage) bytes per message")
    }
}
