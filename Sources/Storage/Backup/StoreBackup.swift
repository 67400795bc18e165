import Foundation
import GRDB

/// A consistent copy of the embedded store (the SQLite file and the payload folder), taken while the integration
/// point keeps running, and its way back into an empty working directory.
///
/// The database is copied with SQLite's online backup API inside one read transaction: in WAL mode that reads one
/// snapshot without blocking the running process's writers. Payload files are written once and renamed into place
/// (`FilePayloadStore`), so a copy never sees half a file. They are copied before and again after the database
/// snapshot, so that every payload the snapshot refers to is in the backup: a payload written before the snapshot
/// is caught by one of the two passes, and one deleted after the snapshot was already copied by the first.
/// (Only a message created, sent and deleted entirely between the first pass and the snapshot can miss its files;
/// such a message is finished and needs them no more.)
public enum StoreBackup {
    /// The names inside a backup folder.
    public static let databaseName = "integrasjonspunkt.sqlite"
    public static let payloadFolderName = "messages"
    public static let manifestName = "backup-info.json"

    public struct Summary: Sendable, Equatable, Codable {
        public var createdAt: Date
        public var databaseBytes: Int64
        public var payloadFiles: Int
        public var payloadBytes: Int64
        public var version: String
    }

    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Copies the database at `databasePath` and the payload folder `payloadFolder` (when it exists) into the new
    /// or empty folder `destination`.
    @discardableResult
    public static func backup(databasePath: String, payloadFolder: URL?, to destination: URL,
                              version: String = "", now: Date = Date()) throws -> Summary {
        let files = FileManager.default
        guard files.fileExists(atPath: databasePath) else {
            throw Problem("There is no database at \(databasePath); run the backup in the integration point's working directory, or give --database.")
        }
        if files.fileExists(atPath: destination.path) {
            let entries = try files.contentsOfDirectory(atPath: destination.path)
            guard entries.isEmpty else {
                throw Problem("The backup folder \(destination.path) is not empty; give a new or empty folder so that no older backup is mixed in.")
            }
        }
        try files.createDirectory(at: destination, withIntermediateDirectories: true)
        let payloadCopy = destination.appendingPathComponent(payloadFolderName)

        if let payloadFolder { try copyPayloads(from: payloadFolder, to: payloadCopy) }
        let databaseCopy = destination.appendingPathComponent(databaseName).path
        try copyDatabase(from: databasePath, to: databaseCopy)
        if let payloadFolder { try copyPayloads(from: payloadFolder, to: payloadCopy) }

        let (count, bytes) = try measure(payloadCopy)
        let summary = Summary(createdAt: now, databaseBytes: try size(databaseCopy), payloadFiles: count,
                              payloadBytes: bytes, version: version)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(summary).write(to: destination.appendingPathComponent(manifestName), options: .atomic)
        return summary
    }

    /// Puts the backup in `source` back: the database at `databasePath`, the payloads into `payloadFolder`.
    /// Refuses when either already holds anything, so that a restore never overwrites a live store.
    @discardableResult
    public static func restore(from source: URL, databasePath: String, payloadFolder: URL) throws -> Summary {
        let files = FileManager.default
        let databaseCopy = source.appendingPathComponent(databaseName).path
        guard files.fileExists(atPath: databaseCopy) else {
            throw Problem("\(source.path) is not a backup: it has no \(databaseName). Give the folder that `integrasjonspunkt backup --to` made.")
        }
        var occupied: [String] = []
        for path in [databasePath, databasePath + "-wal", databasePath + "-shm"] where files.fileExists(atPath: path) {
            occupied.append(path)
        }
        if let entries = try? files.contentsOfDirectory(atPath: payloadFolder.path), !entries.isEmpty {
            occupied.append(payloadFolder.path + "/ (\(entries.count) entries)")
        }
        guard occupied.isEmpty else {
            throw Problem("Will not restore over an existing store: \(occupied.joined(separator: ", ")) already exist. Restore into an empty working directory, or move these away first.")
        }
        try integrityCheck(databaseCopy)
        try files.createDirectory(at: URL(fileURLWithPath: databasePath).deletingLastPathComponent(),
                                  withIntermediateDirectories: true)
        // Through the backup API as well, so that the result is a clean database file whatever the source's state.
        try copyDatabase(from: databaseCopy, to: databasePath)
        try copyPayloads(from: source.appendingPathComponent(payloadFolderName), to: payloadFolder)
        let (count, bytes) = try measure(payloadFolder)
        return Summary(createdAt: Date(), databaseBytes: try size(databasePath), payloadFiles: count,
                       payloadBytes: bytes, version: "")
    }

    /// One snapshot of `source` written to `destination` with SQLite's backup API, then checked.
    static func copyDatabase(from source: String, to destination: String) throws {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            configuration.readonly = true
            let reader = try DatabaseQueue(path: source, configuration: configuration)
            let writer = try DatabaseQueue(path: destination)
            try reader.backup(to: writer)
            try writer.close()
            try reader.close()
        } catch let error as DatabaseError {
            throw Problem("Could not copy the database \(source) to \(destination): \(error.message ?? error.description)")
        }
        try integrityCheck(destination)
    }

    static func integrityCheck(_ path: String) throws {
        do {
            let queue = try DatabaseQueue(path: path)
            let result = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
            try queue.close()
            guard result == ["ok"] else {
                throw Problem("The database copy \(path) is damaged: \(result.prefix(3).joined(separator: "; "))")
            }
        } catch let error as DatabaseError {
            throw Problem("Cannot read the database \(path): \(error.message ?? error.description)")
        }
    }

    /// Copies every payload file under `source` that is missing from `destination` or differs in size or time.
    /// Hidden files (writes in progress) are skipped.
    static func copyPayloads(from source: URL, to destination: URL) throws {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: source.path, isDirectory: &isFolder), isFolder.boolValue else { return }
        try files.createDirectory(at: destination, withIntermediateDirectories: true)
        guard let walker = files.enumerator(atPath: source.path) else { return }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                walker.skipDescendants()
                continue
            }
            let from = source.appendingPathComponent(relative)
            let to = destination.appendingPathComponent(relative)
            // A file may vanish between listing and copying (the message was done meanwhile): skip it.
            guard let attributes = try? files.attributesOfItem(atPath: from.path) else { continue }
            if attributes[.type] as? FileAttributeType == .typeDirectory {
                try files.createDirectory(at: to, withIntermediateDirectories: true)
                continue
            }
            if let existing = try? files.attributesOfItem(atPath: to.path) {
                if (existing[.size] as? Int64) == (attributes[.size] as? Int64),
                   (existing[.modificationDate] as? Date) == (attributes[.modificationDate] as? Date) { continue }
                try files.removeItem(at: to)
            }
            do {
                try files.copyItem(at: from, to: to)
                if let modified = attributes[.modificationDate] {
                    try? files.setAttributes([.modificationDate: modified], ofItemAtPath: to.path)
                }
            } catch where !files.fileExists(atPath: from.path) {
                continue
            }
        }
    }

    static func measure(_ folder: URL) throws -> (files: Int, bytes: Int64) {
        let files = FileManager.default
        guard let walker = files.enumerator(atPath: folder.path) else { return (0, 0) }
        var count = 0
        var bytes: Int64 = 0
        while let relative = walker.nextObject() as? String {
            guard let attributes = try? files.attributesOfItem(atPath: folder.appendingPathComponent(relative).path),
                  attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            count += 1
            bytes += (attributes[.size] as? Int64) ?? 0
        }
        return (count, bytes)
    }

    static func size(_ path: String) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
    }
}
