import Foundation
import NIOCore
import PostgresNIO

/// Payloads inside the PostgreSQL database, as `BYTEA` rows of at most `rowSize` bytes, so that every instance
/// can serve every message and nothing ever holds a whole payload in memory.
///
/// A payload that fits in one row is written in one transaction: the earlier payload under the same name dropped,
/// the new one added complete with its row. A larger one is written as `DatabasePayloadStore` does: an incomplete
/// `payload` row first, its chunks one statement each, then in one transaction the earlier payload under the
/// same name dropped and the new one marked complete. Readers only see complete payloads. Because other instances may be writing right now, opening the store removes
/// only unfinished writes that have not been touched for `abandonedAfter`.
public final class PostgresPayloadStore: PayloadStore {
    private let connections: PostgresConnections
    /// Bytes per chunk row.
    public let rowSize: Int

    /// A payload store in the database of `store`; removes writes abandoned longer than `abandonedAfter` ago.
    public init(store: PostgresMessageStore, rowSize: Int = 1 << 20,
                abandonedAfter: Duration = .seconds(3600)) async throws {
        connections = store.connections
        self.rowSize = max(rowSize, 1)
        let cutoff = Date().addingTimeInterval(-Double(abandonedAfter.components.seconds)).microsecondsSince1970
        _ = try await connections.withConnection { session in
            try session.execute("DELETE FROM payload WHERE NOT complete AND touched_at < ?", [cutoff])
        }
    }

    public func write<S: AsyncSequence & Sendable>(messageId: String, key: String, chunks: S) async throws -> Int64
        where S.Element == [UInt8] {
        try PayloadName.validate(messageId: messageId, key: key)
        // Up to one row is read before anything is written: a payload that fits in it (most do) is written in one
        // transaction; a larger one is streamed in rows.
        var iterator = chunks.makeAsyncIterator()
        var head: [UInt8] = []
        while head.count <= rowSize {
            guard let chunk = try await iterator.next() else {
                return try await writeWhole(head, messageId: messageId, key: key)
            }
            try Task.checkCancellation()
            head.append(contentsOf: chunk)
        }
        return try await writeInRows(head, then: &iterator, messageId: messageId, key: key)
    }

    /// A payload of at most one row: the earlier one under the name dropped, the new one and its row added, in one
    /// transaction.
    private func writeWhole(_ bytes: [UInt8], messageId: String, key: String) async throws -> Int64 {
        let size = Int64(bytes.count)
        let row = ByteBuffer(bytes: bytes)
        try await connections.transaction(readOnly: false) { session in
            try Self.dropEarlier(messageId, key, in: session)
            let arguments: [any PostgresArgument] = [messageId, key, size, Date().microsecondsSince1970]
            if size == 0 {
                try session.execute("""
                    INSERT INTO payload (message_id, key, size, complete, touched_at) VALUES (?, ?, ?, TRUE, ?)
                    """, arguments)
                return
            }
            let inserted = try session.rows("""
                WITH p AS (
                    INSERT INTO payload (message_id, key, size, complete, touched_at) VALUES (?, ?, ?, TRUE, ?)
                    RETURNING id)
                INSERT INTO payload_chunk (payload_id, seq, data) SELECT id, 0, ? FROM p RETURNING seq
                """, arguments + [row])
            guard inserted.count == 1 else {
                throw StoreError.database("payload '\(key)' of message \(messageId) was not written")
            }
        }
        return size
    }

    /// A payload larger than a row: an incomplete `payload` row, the rows one statement each (`head` first, then
    /// the rest of `iterator`), then the earlier payload under the name dropped and the new one marked complete.
    private func writeInRows<I: AsyncIteratorProtocol>(_ head: [UInt8], then iterator: inout I, messageId: String,
                                                      key: String) async throws -> Int64
        where I.Element == [UInt8] {
        let payloadId = try await connections.withConnection { session in
            guard let id = try session.integer("""
                INSERT INTO payload (message_id, key, size, complete, touched_at) VALUES (?, ?, 0, FALSE, ?)
                RETURNING id
                """, [messageId, key, Date().microsecondsSince1970]) else {
                throw StoreError.database("no id for the new payload '\(key)' of message \(messageId)")
            }
            return id
        }
        do {
            var buffer = ByteBuffer()
            buffer.reserveCapacity(rowSize)
            var sequence = 0
            var total: Int64 = 0
            var next: [UInt8]? = head
            while let chunk = next {
                try Task.checkCancellation()
                total += Int64(chunk.count)
                var remaining = chunk[...]
                while !remaining.isEmpty {
                    let take = min(rowSize - buffer.readableBytes, remaining.count)
                    buffer.writeBytes(remaining.prefix(take))
                    remaining = remaining.dropFirst(take)
                    if buffer.readableBytes == rowSize {
                        try await appendChunk(payloadId, sequence, buffer, messageId: messageId, key: key)
                        buffer.clear()
                        sequence += 1
                    }
                }
                next = try await iterator.next()
            }
            if buffer.readableBytes > 0 {
                try await appendChunk(payloadId, sequence, buffer, messageId: messageId, key: key)
            }
            try await connections.transaction(readOnly: false) { [total] session in
                try Self.dropEarlier(messageId, key, in: session)
                let marked = try session.changes("UPDATE payload SET complete = TRUE, size = ? WHERE id = ?",
                                                 [total, payloadId])
                guard marked == 1 else { throw Self.removedWhileWriting(messageId, key) }
            }
            return total
        } catch {
            _ = try? await connections.withConnection { session in
                try session.execute("DELETE FROM payload WHERE id = ?", [payloadId])
            }
            throw error
        }
    }

    /// Drops the complete payload under the name, inside the transaction that completes the new one, under an
    /// advisory lock on the name: two writers of one name finish one after the other, the later one winning.
    private static func dropEarlier(_ messageId: String, _ key: String, in session: PostgresSession) throws {
        try session.execute("SELECT pg_advisory_xact_lock(hashtext(?))", ["payload:\(messageId)/\(key)"])
        try session.execute("DELETE FROM payload WHERE message_id = ? AND key = ? AND complete", [messageId, key])
    }

    private func appendChunk(_ payloadId: Int64, _ sequence: Int, _ bytes: ByteBuffer, messageId: String,
                             key: String) async throws {
        try await connections.withConnection { session in
            let inserted = try session.rows("""
                WITH touched AS (
                    UPDATE payload SET touched_at = ? WHERE id = ? AND NOT complete RETURNING id)
                INSERT INTO payload_chunk (payload_id, seq, data) SELECT id, ?, ? FROM touched RETURNING seq
                """, [Date().microsecondsSince1970, payloadId, sequence, bytes])
            guard inserted.count == 1 else { throw Self.removedWhileWriting(messageId, key) }
        }
    }

    private static func removedWhileWriting(_ messageId: String, _ key: String) -> StoreError {
        StoreError.database("the write of payload '\(key)' of message \(messageId) was removed before it "
            + "completed; write it again")
    }

    public func read(messageId: String, key: String, chunkSize: Int) throws -> AsyncThrowingStream<[UInt8], any Error> {
        try PayloadName.validate(messageId: messageId, key: key)
        // The first row comes with the look-up: a payload of one row (most are) is read in one round trip.
        let found = try connections.blocking { session in
            try session.row("""
                SELECT p.id, p.size, c.data FROM payload p
                LEFT JOIN payload_chunk c ON c.payload_id = p.id AND c.seq = 0
                WHERE p.message_id = ? AND p.key = ? AND p.complete
                """, [messageId, key])
                .map { (try $0.int64("id"), try $0.int64("size"), try $0["data"].decode(ByteBuffer?.self)) }
        }
        guard let (payloadId, size, first) = found else {
            throw StoreError.payloadNotFound(messageId: messageId, key: key)
        }
        let reader = PostgresChunkReader(connections: connections, payloadId: payloadId, size: size, first: first,
                                         chunkSize: max(chunkSize, 1), messageId: messageId, key: key)
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
        _ = try connections.blocking { session in
            try session.execute("DELETE FROM payload WHERE message_id = ? AND key = ?", [messageId, key])
        }
    }

    public func delete(messageId: String) throws {
        try PayloadName.validate(messageId)
        _ = try connections.blocking { session in
            try session.execute("DELETE FROM payload WHERE message_id = ?", [messageId])
        }
    }

    private func completePayload(_ messageId: String, _ key: String) throws -> (Int64, Int64)? {
        try connections.blocking { session in
            try session.row("SELECT id, size FROM payload WHERE message_id = ? AND key = ? AND complete",
                            [messageId, key])
                .map { (try $0.int64("id"), try $0.int64("size")) }
        }
    }
}

/// Reads a payload's chunk rows one at a time, on demand, handing out slices of at most `chunkSize` bytes.
private actor PostgresChunkReader {
    private let connections: PostgresConnections
    private let payloadId: Int64
    private let size: Int64
    private let chunkSize: Int
    private let messageId: String
    private let key: String
    private var row = ByteBuffer()
    private var nextSequence = 0
    private var delivered: Int64 = 0

    /// `first`: the payload's first row, when it was read already.
    init(connections: PostgresConnections, payloadId: Int64, size: Int64, first: ByteBuffer?, chunkSize: Int,
         messageId: String, key: String) {
        self.connections = connections
        self.payloadId = payloadId
        self.size = size
        self.chunkSize = chunkSize
        self.messageId = messageId
        self.key = key
        if let first, first.readableBytes > 0 {
            row = first
            nextSequence = 1
        }
    }

    func next() async throws -> [UInt8]? {
        if row.readableBytes == 0 {
            guard delivered < size else { return nil }
            let (payloadId, sequence) = (payloadId, nextSequence)
            let data = try await connections.withConnection { session in
                try session.row("SELECT data FROM payload_chunk WHERE payload_id = ? AND seq = ?",
                                [payloadId, sequence])
                    .map { try $0["data"].decode(ByteBuffer.self) }
            }
            // The payload was replaced or deleted while being read: fail rather than hand out a truncated file.
            guard let data, data.readableBytes > 0 else {
                throw StoreError.payloadNotFound(messageId: messageId, key: key)
            }
            row = data
            nextSequence += 1
        }
        let slice = row.readBytes(length: min(chunkSize, row.readableBytes)) ?? []
        delivered += Int64(slice.count)
        return slice
    }
}
