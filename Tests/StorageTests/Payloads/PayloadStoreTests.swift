import Foundation
@testable import Storage
import Synchronization
import Testing

@Suite("Payload stores: file and database")
struct PayloadStoreTests {
    @Test(arguments: PayloadBackend.allCases)
    func writesAndReadsBackInBoundedChunks(backend: PayloadBackend) async throws {
        let (store, _) = try await backend.makeStore()
        let bytes = PatternBytes.bytes(300_001)
        #expect(try await store.write(messageId: "m1", key: "asic.zip", bytes: bytes, chunkSize: 7_777) == 300_001)
        #expect(store.exists(messageId: "m1", key: "asic.zip"))
        #expect(!store.exists(messageId: "m1", key: "other"))
        #expect(try store.size(messageId: "m1", key: "asic.zip") == 300_001)
        let read = try await store.readAll(messageId: "m1", key: "asic.zip", chunkSize: 4096)
        #expect(read.bytes == bytes)
        #expect(read.largestChunk == 4096)
    }

    /// The database stores keep 256 KiB rows in these tests; PostgreSQL writes a payload of up to one row in one
    /// transaction and a larger one row by row: both sides of that line read back whole.
    @Test(arguments: PayloadBackend.allCases)
    func payloadsOfOneRowAndOneByteMoreReadBackWhole(backend: PayloadBackend) async throws {
        let (store, _) = try await backend.makeStore()
        for size in [256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1] {
            let bytes = PatternBytes.bytes(size)
            #expect(try await store.write(messageId: "m1", key: "k\(size)", bytes: bytes, chunkSize: 65_536) == Int64(size))
            #expect(try store.size(messageId: "m1", key: "k\(size)") == Int64(size))
            #expect(try await store.readAll(messageId: "m1", key: "k\(size)", chunkSize: 100_000).bytes == bytes)
        }
    }

    @Test(arguments: PayloadBackend.allCases)
    func anEmptyPayloadExistsWithSizeZero(backend: PayloadBackend) async throws {
        let (store, _) = try await backend.makeStore()
        #expect(try await store.write(messageId: "m1", key: "empty", bytes: []) == 0)
        #expect(store.exists(messageId: "m1", key: "empty"))
        #expect(try store.size(messageId: "m1", key: "empty") == 0)
        #expect(try await store.readAll(messageId: "m1", key: "empty").bytes.isEmpty)
    }

    @Test(arguments: PayloadBackend.allCases)
    func aSecondWriteReplacesTheFirst(backend: PayloadBackend) async throws {
        let (store, leftovers) = try await backend.makeStore()
        _ = try await store.write(messageId: "m1", key: "k", bytes: PatternBytes.bytes(600_000))
        _ = try await store.write(messageId: "m1", key: "k", bytes: [1, 2, 3])
        #expect(try await store.readAll(messageId: "m1", key: "k").bytes == [1, 2, 3])
        #expect(try store.size(messageId: "m1", key: "k") == 3)
        #expect(try leftovers() == (backend == .file ? 1 : 2))  // one file, or one payload row and one chunk row
    }

    @Test(arguments: PayloadBackend.allCases)
    func anInterruptedWriteLeavesNothingAndKeepsTheEarlierContent(backend: PayloadBackend) async throws {
        let (store, leftovers) = try await backend.makeStore()
        await #expect(throws: PatternBytes.Interrupted.self) {
            _ = try await store.write(messageId: "m1", key: "k",
                                      chunks: PatternBytes(total: 2_000_000, chunkSize: 65_536, failAfter: 700_000))
        }
        #expect(!store.exists(messageId: "m1", key: "k"))
        #expect(try leftovers() == 0)

        _ = try await store.write(messageId: "m1", key: "k", bytes: [9, 8, 7])
        await #expect(throws: PatternBytes.Interrupted.self) {
            _ = try await store.write(messageId: "m1", key: "k",
                                      chunks: PatternBytes(total: 2_000_000, chunkSize: 65_536, failAfter: 700_000))
        }
        #expect(try await store.readAll(messageId: "m1", key: "k").bytes == [9, 8, 7])
        // Interrupted within what would have been its first row.
        await #expect(throws: PatternBytes.Interrupted.self) {
            _ = try await store.write(messageId: "m1", key: "k",
                                      chunks: PatternBytes(total: 200_000, chunkSize: 65_536, failAfter: 100_000))
        }
        #expect(try await store.readAll(messageId: "m1", key: "k").bytes == [9, 8, 7])
        #expect(try leftovers() == (backend == .file ? 1 : 2))
    }

    @Test(arguments: PayloadBackend.allCases)
    func deleteRemovesEveryPayloadOfTheMessageOnly(backend: PayloadBackend) async throws {
        let (store, _) = try await backend.makeStore()
        _ = try await store.write(messageId: "m1", key: "a", bytes: [1])
        _ = try await store.write(messageId: "m1", key: "b", bytes: [2])
        _ = try await store.write(messageId: "m2", key: "a", bytes: [3])
        try store.delete(messageId: "m1")
        try store.delete(messageId: "m1")
        try store.delete(messageId: "never-stored")
        #expect(!store.exists(messageId: "m1", key: "a"))
        #expect(!store.exists(messageId: "m1", key: "b"))
        #expect(try await store.readAll(messageId: "m2", key: "a").bytes == [3])
    }

    @Test(arguments: PayloadBackend.allCases)
    func aMissingPayloadIsReportedByName(backend: PayloadBackend) async throws {
        let (store, _) = try await backend.makeStore()
        #expect(throws: StoreError.payloadNotFound(messageId: "m1", key: "asic.zip")) {
            _ = try store.read(messageId: "m1", key: "asic.zip", chunkSize: 10)
        }
        #expect(throws: StoreError.payloadNotFound(messageId: "m1", key: "asic.zip")) {
            _ = try store.size(messageId: "m1", key: "asic.zip")
        }
    }

    @Test(arguments: PayloadBackend.allCases)
    func namesThatCouldEscapeTheirFolderAreRefused(backend: PayloadBackend) async throws {
        let (store, leftovers) = try await backend.makeStore()
        for bad in ["", ".", "..", "../etc", "a/b", "/abs", "x..y", "nul\0byte"] {
            for (messageId, key) in [(bad, "k"), ("m", bad)] {
                await #expect(throws: StoreError.invalidPayloadName(bad)) {
                    _ = try await store.write(messageId: messageId, key: key, bytes: [1])
                }
                #expect(throws: StoreError.invalidPayloadName(bad)) {
                    _ = try store.read(messageId: messageId, key: key, chunkSize: 1)
                }
                #expect(throws: StoreError.invalidPayloadName(bad)) {
                    _ = try store.size(messageId: messageId, key: key)
                }
                #expect(!store.exists(messageId: messageId, key: key))
            }
            #expect(throws: StoreError.invalidPayloadName(bad)) { try store.delete(messageId: bad) }
        }
        #expect(try leftovers() == 0)
    }

    /// Memory must stay flat while the stream advances. Measured from a quarter of the way in, so that the
    /// allocations of tests running in parallel at the start do not count; holding the payload would show as
    /// about 48 MiB of growth over the remaining three quarters.
    @Test(.serialized, arguments: PayloadBackend.allCases)
    func sixtyFourMegabytesStreamThroughWithFlatMemory(backend: PayloadBackend) async throws {
        let (store, _) = try await backend.makeStore()
        // Large enough that holding the payload (48 MiB over the measured three quarters) stands far above what
        // tests running in parallel in this process allocate meanwhile.
        let total = 64 * 1024 * 1024, chunkSize = 64 * 1024
        var growth = MemoryGrowth(total: total)

        let written = try await store.write(messageId: "big", key: "asic.zip",
                                            chunks: MeasuredChunks(total: total, chunkSize: chunkSize))
        #expect(written == Int64(total))

        var offset = 0
        var mismatches = 0
        for try await chunk in try store.read(messageId: "big", key: "asic.zip", chunkSize: chunkSize) {
            #expect(chunk.count <= chunkSize)
            if !PatternBytes.matches(chunk, at: offset) { mismatches += 1 }
            offset += chunk.count
            growth.observe(offset)
        }
        #expect(offset == total)
        #expect(mismatches == 0)
        try store.delete(messageId: "big")
        if let grown = growth.grown {
            #expect(grown < 24 * 1024 * 1024, "reading grew resident memory by \(grown / 1024) KiB")
        }
        if let grown = MeasuredChunks.growth.withLock({ $0.grown }) {
            #expect(grown < 24 * 1024 * 1024, "writing grew resident memory by \(grown / 1024) KiB")
        }
    }
}

/// Resident memory growth between a quarter of the way through a stream and its end.
struct MemoryGrowth {
    let total: Int
    private var baseline: Int?
    private var peak = 0

    init(total: Int) { self.total = total }

    mutating func observe(_ offset: Int) {
        guard let now = residentMemory() else { return }
        if baseline == nil && offset >= total / 4 { baseline = now }
        if baseline != nil { peak = max(peak, now) }
    }

    var grown: Int? { baseline.map { peak - $0 } }
}

/// Pattern bytes for a write, observing memory as the store consumes them.
struct MeasuredChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    static let growth = Mutex(MemoryGrowth(total: 0))
    let total: Int
    let chunkSize: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var inner: PatternBytes.AsyncIterator
        let total: Int
        var offset = 0
        mutating func next() async throws -> [UInt8]? {
            let chunk = try await inner.next()
            offset += chunk?.count ?? 0
            let offset = offset
            MeasuredChunks.growth.withLock { $0.observe(offset) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        MeasuredChunks.growth.withLock { $0 = MemoryGrowth(total: total) }
        return AsyncIterator(inner: PatternBytes(total: total, chunkSize: chunkSize).makeAsyncIterator(), total: total)
    }
}

@Suite("Payload stores: backend specifics")
struct PayloadStoreSpecificsTests {
    @Test func aFileReaderKeepsReadingTheContentItOpened() async throws {
        let (store, _) = try await PayloadBackend.file.makeStore()
        let old = PatternBytes.bytes(200_000)
        _ = try await store.write(messageId: "m", key: "k", bytes: old)
        var iterator = try store.read(messageId: "m", key: "k", chunkSize: 50_000).makeAsyncIterator()
        var seen = try await iterator.next() ?? []
        _ = try await store.write(messageId: "m", key: "k", bytes: [1, 2, 3])
        while let chunk = try await iterator.next() { seen += chunk }
        #expect(seen == old)
    }

    @Test func filesLiveUnderRootMessageIdKey() async throws {
        let root = TestFolder.make("payloads")
        let store = try FilePayloadStore(root: root)
        _ = try await store.write(messageId: "m-1", key: "asic.zip", bytes: [1, 2])
        #expect(try Data(contentsOf: root.appendingPathComponent("m-1/asic.zip")) == Data([1, 2]))
        try store.delete(messageId: "m-1")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("m-1").path))
    }

    @Test func temporaryFilesOfACrashedWriteAreInvisibleAndCanBeSwept() async throws {
        let root = TestFolder.make("payloads")
        let store = try FilePayloadStore(root: root)
        _ = try await store.write(messageId: "m", key: "asic.zip", bytes: [1])
        _ = try await store.write(messageId: "m", key: ".looks.partial-but-is-not-a-uuid", bytes: [2])
        // What a write killed before its rename leaves behind.
        let crashed = root.appendingPathComponent("m/.asic.zip.partial-\(UUID().uuidString)")
        try Data([9, 9]).write(to: crashed)
        #expect(try await store.readAll(messageId: "m", key: "asic.zip").bytes == [1])

        #expect(try store.removeUnfinishedWrites() == 1)
        #expect(!FileManager.default.fileExists(atPath: crashed.path))
        #expect(store.exists(messageId: "m", key: "asic.zip"))
        #expect(store.exists(messageId: "m", key: ".looks.partial-but-is-not-a-uuid"))
    }

    @Test func unfinishedDatabaseWritesAreRemovedWhenTheStoreOpens() async throws {
        let messages = try SQLiteMessageStore.inTestFolder()
        let id = try messages.writerTexts("""
            INSERT INTO payload (message_id, key, size, complete) VALUES ('m', 'k', 0, 0) RETURNING id
            """)[0]
        _ = try messages.writerTexts("INSERT INTO payload_chunk (payload_id, seq, data) VALUES (\(id), 0, x'0102')")
        let store = try DatabasePayloadStore(store: messages)
        #expect(!store.exists(messageId: "m", key: "k"))
        #expect(try messages.texts("SELECT COUNT(*) FROM payload_chunk") == ["0"])
        #expect(try messages.texts("SELECT COUNT(*) FROM payload") == ["0"])
    }
}
