import Crypto
import Foundation
import NIOCore

/// Bytes written in order, kept in memory up to a threshold and moved to a private temporary file (mode 0600)
/// beyond it, with their SHA-256 taken on the way: what the upstream calls an in-memory resource with a temporary
/// file fallback (`difi.move.dpi.temporary-file-threshold`). Small packages never touch the disk; large ones are
/// never held whole in memory.
final class SpillBuffer {
    private let threshold: Int64
    private let directory: URL
    private let prefix: String
    private var memory = Data()
    private var file: (url: URL, handle: FileHandle)?
    private var hasher = SHA256()
    private(set) var count: Int64 = 0

    init(threshold: Int64, directory: URL, prefix: String) {
        self.threshold = threshold
        self.directory = directory
        self.prefix = prefix
    }

    func write(_ chunk: Data) throws {
        guard !chunk.isEmpty else { return }
        hasher.update(data: chunk)
        count += Int64(chunk.count)
        if let file {
            try file.handle.write(contentsOf: chunk)
            return
        }
        memory.append(chunk)
        if Int64(memory.count) > threshold {
            let url = directory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
            guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
            }
            let handle = try FileHandle(forWritingTo: url)
            file = (url, handle)
            try handle.write(contentsOf: memory)
            memory = Data()
        }
    }

    /// The bytes written, and their digest. The buffer must not be written to afterwards.
    func finish() throws -> SpilledBytes {
        let digest = Data(hasher.finalize())
        if let file {
            try file.handle.close()
            return SpilledBytes(storage: .file(file.url), size: count, sha256: digest)
        }
        return SpilledBytes(storage: .memory(memory), size: count, sha256: digest)
    }

    /// Removes the temporary file after a failure.
    func discard() {
        if let file {
            try? file.handle.close()
            try? FileManager.default.removeItem(at: file.url)
        }
        memory = Data()
    }
}

/// The result of a `SpillBuffer`: bytes in memory or in a temporary file, with size and SHA-256.
public struct SpilledBytes: Sendable {
    public enum Storage: Sendable {
        case memory(Data)
        case file(URL)
    }

    public let storage: Storage
    public let size: Int64
    public let sha256: Data

    /// The bytes as a stream of chunks, read from memory or from the temporary file as they are asked for (a
    /// spilled package is never read whole).
    func stream(chunkSize: Int = 256 * 1024) throws -> AsyncThrowingStream<[UInt8], any Error> {
        switch storage {
        case .memory(let data):
            // Already held (below the spill threshold): handed out in chunks at once.
            return AsyncThrowingStream { continuation in
                var start = data.startIndex
                while start < data.endIndex {
                    let end = min(start + chunkSize, data.endIndex)
                    continuation.yield(Array(data[start..<end]))
                    start = end
                }
                continuation.finish()
            }
        case .file(let url):
            return try FileByteStream.open(url, chunkSize: chunkSize)
        }
    }

    /// Deletes the temporary file, if any.
    public func remove() {
        if case .file(let url) = storage { try? FileManager.default.removeItem(at: url) }
    }
}
