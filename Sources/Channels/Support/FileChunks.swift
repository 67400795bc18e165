import Foundation
import NIOCore

/// The bytes of a file as an async sequence of `ByteBuffer` chunks, read one chunk at a time:
/// a streaming request body that never holds the whole file.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let url: URL
    let chunkSize: Int

    init(url: URL, chunkSize: Int = 256 * 1024) {
        self.url = url
        self.chunkSize = chunkSize
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let url: URL
        let chunkSize: Int
        var handle: FileHandle?
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            if finished { return nil }
            if handle == nil { handle = try FileHandle(forReadingFrom: url) }
            guard let data = try handle?.read(upToCount: chunkSize), !data.isEmpty else {
                try? handle?.close()
                finished = true
                return nil
            }
            return ByteBuffer(bytes: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(url: url, chunkSize: chunkSize) }
}

extension URL {
    /// The size of the file at this URL.
    func fileSize() throws -> Int64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }
}
