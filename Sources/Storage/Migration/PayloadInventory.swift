import Foundation
import GRDB

/// Every payload an embedded store holds: files under the payload folder (`messages/<messageId>/<key>`) and
/// complete payloads in the database (`use-db-persistence=true`); both when both were used over time.
struct PayloadInventory {
    struct Entry: Sendable {
        var messageId: String
        var key: String
        var store: any PayloadStore
    }

    let entries: [Entry]

    init(databasePath: String, store: SQLiteMessageStore, folder: URL) throws {
        var entries: [Entry] = []
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue {
            let files = try FilePayloadStore(root: folder)
            for messageId in try manager.contentsOfDirectory(atPath: folder.path).sorted() where !messageId.hasPrefix(".") {
                let messageFolder = folder.appendingPathComponent(messageId)
                guard manager.fileExists(atPath: messageFolder.path, isDirectory: &isFolder), isFolder.boolValue
                else { continue }
                // Hidden names are unfinished writes (`FilePayloadStore`), not payloads.
                for key in try manager.contentsOfDirectory(atPath: messageFolder.path).sorted()
                    where !key.hasPrefix(".") && (try? PayloadName.validate(messageId: messageId, key: key)) != nil {
                    entries.append(Entry(messageId: messageId, key: key, store: files))
                }
            }
        }
        let inDatabase = try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT message_id, key FROM payload WHERE complete = 1 ORDER BY id")
                .map { (messageId: $0["message_id"] as String, key: $0["key"] as String) }
        }
        if !inDatabase.isEmpty {
            let database = try DatabasePayloadStore(store: store)
            entries += inDatabase.map { Entry(messageId: $0.messageId, key: $0.key, store: database) }
        }
        self.entries = entries
    }

    /// Streams each payload into `target` as stored (still encrypted when it was); returns the bytes copied.
    func copy(to target: any PayloadStore) async throws -> Int64 {
        var total: Int64 = 0
        for entry in entries {
            let written = try await target.write(
                messageId: entry.messageId, key: entry.key,
                chunks: try entry.store.read(messageId: entry.messageId, key: entry.key, chunkSize: 1 << 20))
            let expected = try entry.store.size(messageId: entry.messageId, key: entry.key)
            guard written == expected else {
                throw StoreMigration.Problem("The payload '\(entry.key)' of message \(entry.messageId) has "
                    + "\(expected) bytes, but \(written) arrived in the target database.")
            }
            total += written
        }
        return total
    }
}
