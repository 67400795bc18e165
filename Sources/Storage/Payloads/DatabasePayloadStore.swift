import Foundation
import GRDB

/// Payloads inside the SQLite database (`difi.move.nextmove.use-db-persistence=true`), as rows of at most
/// `rowSize` bytes, so nothing ever holds a whole payload in memory.
///
/// A write first adds an incomplete `payload` row, appends its chunks in short transactions (a long write does not
/// block other writers for its whole length), then in one transaction drops the earlier payload under the same
/// name and marks the new one complete. Readers only see complete payloads. Incomplete rows left by a crash are
/// removed when the store is opened.
public final class DatabasePayloadStore: PayloadStore {
    private let pool: DatabasePool
    /// Bytes per chunk row.
    public let rowSize: Int

    /// A payload store in the database of `store`. Open one per process: opening removes unfinished writes.
    public init(store: SQLiteMessageStore, rowSize: Int = 1 << 20) throws {
        pool = store.pool
        self.rowSize = max(rowSize, 1)
        try translatingErrors { try pool.write { db in
            try db.execute(sql: """
                DELETE FROM payload_chunk WHERE payload_id IN (SELECT id FROM payload WHERE complete = 0);
                DELETE FROM payload WHERE complete = 0;
                """)
        } }
    }

    public func write<S: AsyncSequence & Sendable>(messageId: String, key: String, chunks: S) async throws -> Int64
        where S.Element == [UInt8] {
        try PayloadName.validate(messageId: messageId, key: key)
        let payloadId: Int64
        do {
            payloadId = try await pool.write { db in
                try db.execute(sql: "INSERT INTO payload (message_id, key, size, complete) VALUES (?, ?, 0, 0)",
                               arguments: [messageId, key])
                return db.lastInsertedRowID
            }
        } catch let error as DatabaseError {
            throw StoreError(error)
        }
        do {
            var buffer: [UInt8] = []
            buffer.reserveCapacity(rowSize)
            var sequence = 0
            var total: Int64 = 0
            for try await chunk in chunks {
                try Task.checkCancellation()
                total += Int64(chunk.count)
                buffer.append(contentsOf: chunk)
                while buffer.count >= rowSize {
                    try await appendChunk(payloadId, sequence, Array(buffer[..<rowSize]))
                    buffer.removeFirst(rowSize)
                    sequence += 1
                }
            }
            if !buffer.isEmpty { try await appendChunk(payloadId, sequence, buffer) }
            try await pool.write { [total] db in
                try Self.remove(db, where: "message_id = ? AND key = ? AND complete = 1", [messageId, key])
                try db.execute(sql: "UPDATE payload SET complete = 1, size = ? WHERE id = ?",
                               arguments: [total, payloadId])
                // Another process opening the store removed this unfinished write: do not claim success.
                guard db.changesCount == 1 else {
                    throw StoreError.database("the write of payload '\(key)' of message \(messageId) was removed "
                        + "before it completed; write it again")
                }
            }
            return total
        } catch {
            _ = try? await pool.write { db in try Self.remove(db, where: "id = ?", [payloadId]) }
            if let error = error as? DatabaseError { throw StoreError(error) }
            throw error
        }
    }

    private func appendChunk(_ payloadId: Int64, _ sequence: Int, _ bytes: [UInt8]) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO payload_chunk (payload_id, seq, data) VALUES (?, ?, ?)",
                           arguments: [payloadId, sequence, Data(bytes)])
        }
    }

    public func read(messageId: String, key: String, chunkSize: Int) throws -> AsyncThrowingStream<[UInt8], any Error> {
        try PayloadName.validate(messageId: messageId, key: key)
        guard let (payloadId, size) = try completePayload(messageId, key) else {
            throw StoreError.payloadNotFound(messageId: messageId, key: key)
        }
        let reader = DatabaseChunkReader(pool: pool, payloadId: payloadId, size: size, chunkSize: max(chunkSize, 1),
                                         messageId: messageId, key: key)
        return AsyncThrowingStream(unfolding: { try await reader.next() })
    }

    public func exists(messageId: String, key: String) -> Bool {
        guard (try? PayloadName.validate(messageId: messageId, key: key)) != nil else { return false }
        return ((try? completePayload(messageId, key)) ?? nil) != nil
    }

    public func size(messageId: String, key: String) throws -> Int64 {
        try PayloadName.validate(messageId: messageId, key: key)
        guard let (_, size) = try completePayload(messageId, key) else {
            throw StoreError.payloadNotFound(messageId: messageId, key: key)
        }
        return size
    }

    public func delete(messageId: String, key: String) throws {
        try PayloadName.validate(messageId: messageId, key: key)
        try pool.write { db in try Self.remove(db, where: "message_id = ? AND key = ?", [messageId, key]) }
    }

    public func delete(messageId: String) throws {
        try PayloadName.validate(messageId)
        try translatingErrors { try pool.write { db in try Self.remove(db, where: "message_id = ?", [messageId]) } }
    }

    /// Asked on the writer connection, not one of the pool's readers: the synchronous calls of the payload contract
    /// run on Swift's cooperative threads, and GRDB gives an asynchronous read's connection back only once that read
    /// resumes on one of them. Waiting there for a reader could take every cooperative thread while every reader
    /// waits for one, and the process would hang. The writer is never held across a suspension; waiting for it
    /// costs at most the write in progress.
    private func completePayload(_ messageId: String, _ key: String) throws -> (Int64, Int64)? {
        try translatingErrors { try pool.writeWithoutTransaction { db in
            try Row.fetchOne(db, sql: "SELECT id, size FROM payload WHERE message_id = ? AND key = ? AND complete = 1",
                             arguments: [messageId, key])
                .map { ($0["id"], $0["size"]) }
        } }
    }

    private static func remove(_ db: Database, where clause: String, _ arguments: StatementArguments) throws {
        try db.execute(sql: "DELETE FROM payload_chunk WHERE payload_id IN (SELECT id FROM payload WHERE \(clause))",
                       arguments: arguments)
        try db.execute(sql: "DELETE FROM payload WHERE \(clause)", arguments: arguments)
    }
}

/// Reads a payload's chunk rows one at a time, on demand, handing out slices of at most `chunkSize` bytes.
private actor DatabaseChunkReader {
    private let pool: DatabasePool
    private let payloadId: Int64
    private let size: Int64
    private let chunkSize: Int
    private let messageId: String
    private let key: String
    private var row: [UInt8] = []
    private var offsetInRow = 0
    private var nextSequence = 0
    private var delivered: Int64 = 0

    init(pool: DatabasePool, payloadId: Int64, size: Int64, chunkSize: Int, messageId: String, key: String) {
        self.pool = pool
        self.payloadId = payloadId
        self.size = size
        self.chunkSize = chunkSize
        self.messageId = messageId
        self.key = key
    }

    func next() async throws -> [UInt8]? {
        if offsetInRow >= row.count {
            guard delivered < size else { return nil }
            let (payloadId, sequence) = (payloadId, nextSequence)
            let data: Data?
            do {
                data = try await pool.read { db in
                    try Data.fetchOne(db, sql: "SELECT data FROM payload_chunk WHERE payload_id = ? AND seq = ?",
                                      arguments: [payloadId, sequence])
                }
            } catch let error as DatabaseError {
                throw StoreError(error)
            }
            // The payload was replaced or deleted while being read: fail rather than hand out a truncated file.
            guard let data, !data.isEmpty else { throw StoreError.payloadNotFound(messageId: messageId, key: key) }
            row = [UInt8](data)
            offsetInRow = 0
            nextSequence += 1
        }
        let end = min(offsetInRow + chunkSize, row.count)
        let slice = Array(row[offsetInRow..<end])
        offsetInRow = end
        delivered += Int64(slice.count)
        return slice
    }
}
