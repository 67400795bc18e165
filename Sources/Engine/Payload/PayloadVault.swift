import Foundation
import Synchronization
import Storage

/// Payload storage with encryption at rest: what the engine reads and writes payloads through.
public struct PayloadVault: Sendable {
    public let store: any PayloadStore
    public let cipher: any PayloadCipher
    /// Opens incoming containers, which the sender sealed for our certificate whatever `cipher` is.
    public let containerCipher: any PayloadCipher
    public let chunkSize: Int

    public init(store: any PayloadStore, cipher: any PayloadCipher, containerCipher: (any PayloadCipher)? = nil,
                chunkSize: Int = 256 * 1024) {
        self.store = store
        self.cipher = cipher
        self.containerCipher = containerCipher ?? cipher
        self.chunkSize = chunkSize
    }

    /// Encrypts and stores `chunks` under `messageId/key`; returns the plaintext size.
    public func write<S: AsyncSequence & Sendable>(messageId: String, key: String, chunks: S) async throws -> Int64
        where S.Element == [UInt8] {
        let counter = ByteCounter()
        let plain = PulledStream.map(chunks, transform: { chunk in
            counter.add(chunk.count)
            return chunk
        })
        _ = try await store.write(messageId: messageId, key: key, chunks: cipher.encrypt(plain))
        return counter.total
    }

    /// Stores bytes that are already sealed (an incoming container encrypted by the sender to our certificate).
    public func writeSealed<S: AsyncSequence & Sendable>(messageId: String, key: String, chunks: S) async throws -> Int64
        where S.Element == [UInt8] {
        try await store.write(messageId: messageId, key: key, chunks: chunks)
    }

    /// Streams the decrypted bytes of `messageId/key`.
    public func open(messageId: String, key: String) throws -> AsyncThrowingStream<[UInt8], any Error> {
        cipher.decrypt(try store.read(messageId: messageId, key: key, chunkSize: chunkSize))
    }

    /// Streams the opened bytes of an incoming container stored with `writeSealed`.
    public func openContainer(messageId: String, key: String) throws -> AsyncThrowingStream<[UInt8], any Error> {
        containerCipher.decrypt(try store.read(messageId: messageId, key: key, chunkSize: chunkSize))
    }

    public func exists(messageId: String, key: String) -> Bool {
        store.exists(messageId: messageId, key: key)
    }

    public func delete(messageId: String) throws {
        try store.delete(messageId: messageId)
    }
}

/// Counts bytes flowing through a stream.
final class ByteCounter: Sendable {
    private let value = Synchronization.Mutex<Int64>(0)
    func add(_ n: Int) { value.withLock { $0 += Int64(n) } }
    var total: Int64 { value.withLock { $0 } }
}
