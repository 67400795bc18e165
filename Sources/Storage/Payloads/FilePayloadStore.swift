#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Payloads as files: `<root>/<messageId>/<key>` (`difi.move.nextmove.filedir`, `use-db-persistence=false`).
///
/// A write goes to a hidden temporary file in the message's folder, is flushed with `fsync`, renamed over the final
/// name, and the folder is flushed too. A reader therefore sees the old bytes or all of the new ones, and a crash
/// at any point leaves either no file or a whole one (plus, at worst, a hidden temporary file that `delete`
/// removes with the folder).
public struct FilePayloadStore: PayloadStore {
    /// The folder that holds one folder per message.
    public let root: URL

    /// Opens the store at `root`, creating the folder when missing.
    public init(root: URL) throws {
        self.root = root.standardizedFileURL
        try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
    }

    public func write<S: AsyncSequence & Sendable>(messageId: String, key: String, chunks: S) async throws -> Int64
        where S.Element == [UInt8] {
        try PayloadName.validate(messageId: messageId, key: key)
        let folder = try messageFolder(messageId, creating: true)
        let target = folder + "/" + key
        let temporary = folder + "/.\(key)\(Self.temporaryMarker)\(UUID().uuidString)"

        var fd = try POSIXFile.openFile(temporary, O_WRONLY | O_CREAT | O_EXCL)
        var finished = false
        defer {
            if fd >= 0 { close(fd) }
            if !finished { unlink(temporary) }
        }
        var total: Int64 = 0
        for try await chunk in chunks {
            try Task.checkCancellation()
            try POSIXFile.writeAll(fd, chunk, path: temporary)
            total += Int64(chunk.count)
        }
        try POSIXFile.syncFile(fd, path: temporary)
        guard close(fd) == 0 else { throw POSIXFile.Failure(operation: "close", path: temporary, code: errno) }
        fd = -1
        try POSIXFile.renameFile(temporary, target)
        finished = true
        try POSIXFile.syncFolder(folder)
        return total
    }

    public func read(messageId: String, key: String, chunkSize: Int) throws -> AsyncThrowingStream<[UInt8], any Error> {
        try PayloadName.validate(messageId: messageId, key: key)
        let path = filePath(messageId, key)
        let fd: Int32
        do {
            fd = try POSIXFile.openFile(path, O_RDONLY)
        } catch let failure as POSIXFile.Failure where failure.code == ENOENT {
            throw StoreError.payloadNotFound(messageId: messageId, key: key)
        }
        // The file is open from here on: a later replace or delete does not disturb this reader.
        let reader = FileChunkReader(fd: fd, path: path, chunkSize: max(chunkSize, 1))
        return AsyncThrowingStream(unfolding: { try await reader.next() })
    }

    public func exists(messageId: String, key: String) -> Bool {
        guard (try? PayloadName.validate(messageId: messageId, key: key)) != nil else { return false }
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: filePath(messageId, key), isDirectory: &isFolder)
            && !isFolder.boolValue
    }

    public func size(messageId: String, key: String) throws -> Int64 {
        try PayloadName.validate(messageId: messageId, key: key)
        guard exists(messageId: messageId, key: key),
              let size = try FileManager.default.attributesOfItem(atPath: filePath(messageId, key))[.size]
                as? NSNumber else {
            throw StoreError.payloadNotFound(messageId: messageId, key: key)
        }
        return size.int64Value
    }

    public func delete(messageId: String, key: String) throws {
        try PayloadName.validate(messageId: messageId, key: key)
        guard try POSIXFile.removeFile(filePath(messageId, key)) else { return }
        try POSIXFile.syncFolder(root.path + "/" + messageId)
    }

    public func delete(messageId: String) throws {
        try PayloadName.validate(messageId)
        let folder = try messageFolder(messageId, creating: false)
        // A message folder holds files only; plain unlink and rmdir cost a fraction of FileManager.removeItem,
        // which inspects every entry first.
        guard try POSIXFile.removeFlatFolder(folder) else { return }
        try POSIXFile.syncFolder(root.path)
    }

    /// Removes the temporary files of writes that a crash interrupted; returns how many there were.
    /// They are invisible to readers either way; call this at start-up to reclaim their space.
    @discardableResult
    public func removeUnfinishedWrites() throws -> Int {
        let files = FileManager.default
        var removed = 0
        for messageId in try files.contentsOfDirectory(atPath: root.path) {
            let folder = root.path + "/" + messageId
            guard let names = try? files.contentsOfDirectory(atPath: folder) else { continue }
            for name in names where Self.isTemporary(name) {
                try files.removeItem(atPath: folder + "/" + name)
                removed += 1
            }
        }
        return removed
    }

    private static let temporaryMarker = ".partial-"

    /// `.<key>.partial-<UUID>`, as `write` names its temporary files.
    private static func isTemporary(_ name: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: temporaryMarker, options: .backwards) else {
            return false
        }
        return UUID(uuidString: String(name[marker.upperBound...])) != nil
    }

    private func filePath(_ messageId: String, _ key: String) -> String {
        root.path + "/" + messageId + "/" + key
    }

    /// The message's folder; a newly made one is made durable in the root folder.
    private func messageFolder(_ messageId: String, creating: Bool) throws -> String {
        let folder = root.path + "/" + messageId
        if creating && !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try POSIXFile.syncFolder(root.path)
        }
        return folder
    }
}

/// Reads an open file chunk by chunk, on demand; closes it at the end or when the stream is dropped.
private actor FileChunkReader {
    private var fd: Int32
    private let path: String
    private let chunkSize: Int

    init(fd: Int32, path: String, chunkSize: Int) {
        self.fd = fd
        self.path = path
        self.chunkSize = chunkSize
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    func next() throws -> [UInt8]? {
        guard fd >= 0 else { return nil }
        let chunk = try POSIXFile.readChunk(fd, count: chunkSize, path: path)
        if chunk.isEmpty {
            close(fd)
            fd = -1
            return nil
        }
        return chunk
    }
}
