import Foundation
@testable import Storage

/// Every `PayloadStore` implementation the payload tests run against.
enum PayloadBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case file, database, postgres

    static var allCases: [PayloadBackend] {
        PostgresTestDatabase.isRequested ? [.file, .database, .postgres] : [.file, .database]
    }

    var description: String { rawValue }

    /// A new, empty payload store and a way to count what it keeps (files, or payload and chunk rows),
    /// including anything a failed write might have left behind.
    func makeStore() async throws -> (store: any PayloadStore, leftovers: @Sendable () throws -> Int) {
        switch self {
        case .file:
            let root = TestFolder.make("payloads")
            let store = try FilePayloadStore(root: root)
            return (store, {
                let walker = FileManager.default.enumerator(atPath: root.path)
                var files = 0
                while let name = walker?.nextObject() as? String {
                    var isFolder: ObjCBool = false
                    _ = FileManager.default.fileExists(atPath: root.path + "/" + name, isDirectory: &isFolder)
                    if !isFolder.boolValue { files += 1 }
                }
                return files
            })
        case .database:
            let messages = try SQLiteMessageStore.inTestFolder()
            let store = try DatabasePayloadStore(store: messages, rowSize: 256 * 1024)
            return (store, {
                Int(try messages.texts("SELECT (SELECT COUNT(*) FROM payload) + (SELECT COUNT(*) FROM payload_chunk)")
                    .first ?? "0") ?? -1
            })
        case .postgres:
            let messages = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration())
            let store = try await PostgresPayloadStore(store: messages, rowSize: 256 * 1024)
            return (store, {
                Int(try messages.connections.blocking { session in
                    try session.integer("SELECT (SELECT COUNT(*) FROM payload) + (SELECT COUNT(*) FROM payload_chunk)")
                } ?? -1)
            })
        }
    }
}

/// A deterministic byte pattern, produced lazily in chunks; optionally failing after some bytes.
struct PatternBytes: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    struct Interrupted: Error {}

    let total: Int
    let chunkSize: Int
    var failAfter: Int?

    /// A block of pseudo-random bytes whose length (a prime) is not a multiple of any chunk size in use.
    private static let block: [UInt8] = (0..<1_048_573).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }

    static func byte(at offset: Int) -> UInt8 { block[offset % block.count] }

    /// `count` pattern bytes starting at `offset`, copied block-wise (fast even in debug builds).
    static func bytes(at offset: Int, count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var position = offset
        while result.count < count {
            let start = position % block.count
            let take = Swift.min(block.count - start, count - result.count)
            result.append(contentsOf: block[start..<(start + take)])
            position += take
        }
        return result
    }

    static func bytes(_ count: Int) -> [UInt8] { bytes(at: 0, count: count) }

    /// Whether `chunk` holds the pattern bytes at `offset`.
    static func matches(_ chunk: [UInt8], at offset: Int) -> Bool {
        let expected = bytes(at: offset, count: chunk.count)
        return chunk.withUnsafeBytes { a in expected.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let sequence: PatternBytes
        var offset = 0

        mutating func next() async throws -> [UInt8]? {
            if let failAfter = sequence.failAfter, offset >= failAfter { throw Interrupted() }
            guard offset < sequence.total else { return nil }
            let end = Swift.min(offset + sequence.chunkSize, sequence.total)
            let chunk = PatternBytes.bytes(at: offset, count: end - offset)
            offset = end
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(sequence: self) }
}

/// Whole-sequence helpers for small payloads.
extension PayloadStore {
    func readAll(messageId: String, key: String, chunkSize: Int = 64 * 1024) async throws -> (bytes: [UInt8], largestChunk: Int) {
        var bytes: [UInt8] = []
        var largest = 0
        for try await chunk in try read(messageId: messageId, key: key, chunkSize: chunkSize) {
            bytes += chunk
            largest = max(largest, chunk.count)
        }
        return (bytes, largest)
    }

    func write(messageId: String, key: String, bytes: [UInt8], chunkSize: Int = 1000) async throws -> Int64 {
        try await write(messageId: messageId, key: key,
                        chunks: PatternChunksOf(bytes: bytes, chunkSize: chunkSize))
    }
}

/// Given bytes handed out in chunks.
struct PatternChunksOf: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let bytes: [UInt8]
    let chunkSize: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        let bytes: [UInt8]
        let chunkSize: Int
        var offset = 0
        mutating func next() async throws -> [UInt8]? {
            guard offset < bytes.count else { return nil }
            let end = Swift.min(offset + chunkSize, bytes.count)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(bytes: bytes, chunkSize: chunkSize) }
}

/// The resident memory of this process, in bytes (Linux), or nil where unknown.
func residentMemory() -> Int? {
    #if os(Linux)
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
    let fields = statm.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    #else
    return nil
    #endif
}
