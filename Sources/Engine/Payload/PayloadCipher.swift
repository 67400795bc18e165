import Foundation

/// Encryption at rest of stored payloads (`difi.move.feature.cryptoMessagePersister`).
///
/// Outgoing files are encrypted to the integration point's own certificate when written and decrypted when read;
/// incoming containers arrive already encrypted by the sender and are only decrypted.
public protocol PayloadCipher: Sendable {
    func encrypt(_ plain: AsyncThrowingStream<[UInt8], any Error>) -> AsyncThrowingStream<[UInt8], any Error>
    func decrypt(_ sealed: AsyncThrowingStream<[UInt8], any Error>) -> AsyncThrowingStream<[UInt8], any Error>
}

/// Keeps payloads as they are (`cryptoMessagePersister=false`, and tests).
public struct PlainPayloadCipher: PayloadCipher {
    public init() {}
    public func encrypt(_ plain: AsyncThrowingStream<[UInt8], any Error>) -> AsyncThrowingStream<[UInt8], any Error> {
        plain
    }
    public func decrypt(_ sealed: AsyncThrowingStream<[UInt8], any Error>) -> AsyncThrowingStream<[UInt8], any Error> {
        sealed
    }
}
