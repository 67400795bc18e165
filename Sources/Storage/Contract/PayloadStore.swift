import Foundation

/// Where payload bytes live: uploaded files of outgoing messages and containers of incoming ones.
///
/// Writes are atomic (a reader never sees half a file) and streamed in chunks; nothing holds a whole payload in
/// memory. Encryption at rest is the caller's business: the store keeps the bytes it is given.
public protocol PayloadStore: Sendable {
    /// Streams `chunks` into `messageId/key`, replacing any earlier content only once all bytes are written.
    /// Returns the number of bytes written.
    func write<S: AsyncSequence & Sendable>(messageId: String, key: String, chunks: S) async throws -> Int64
        where S.Element == [UInt8]
    /// Streams the stored bytes in chunks of at most `chunkSize` bytes.
    func read(messageId: String, key: String, chunkSize: Int) throws -> AsyncThrowingStream<[UInt8], any Error>
    func exists(messageId: String, key: String) -> Bool
    func size(messageId: String, key: String) throws -> Int64
    /// Removes one payload; no error when there is none.
    func delete(messageId: String, key: String) throws
    /// Removes every payload of the message; no error when there is none.
    func delete(messageId: String) throws
}

/// Failures of the store with text an operator can act on.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case payloadNotFound(messageId: String, key: String)
    case invalidPayloadName(String)
    case database(String)
    case duplicate(String)
    /// The database cannot be reached right now (server down, network, not yet connected); worth retrying.
    case unavailable(String)

    public var description: String {
        switch self {
        case let .payloadNotFound(messageId, key):
            "The payload '\(key)' of message \(messageId) is not in the payload store."
        case let .invalidPayloadName(name):
            "'\(name)' cannot be used as a payload name: it must not contain '/', '..' or NUL."
        case let .database(text):
            "The database failed: \(text)"
        case let .duplicate(text):
            "Already stored: \(text)"
        case let .unavailable(text):
            text.prefix(1).uppercased() + text.dropFirst()
        }
    }
}
