#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Hummingbird
import NIOCore

/// The uploaded file of one sandbox broker transfer: in memory when small, else in a file of its own.
enum SandboxBrokerPayload: Sendable {
    case memory(ByteBuffer)
    case file(URL, size: Int64)

    var size: Int64 {
        switch self {
        case .memory(let buffer): Int64(buffer.readableBytes)
        case .file(_, let size): size
        }
    }

    /// Reads an upload, keeping it in memory up to `inMemoryLimit` bytes and moving it to `file` beyond that.
    /// `inspect` sees every buffer (for the checksum). A broken upload leaves no file behind.
    static func receive(_ body: RequestBody, file: URL, inMemoryLimit: Int,
                        inspect: (ByteBuffer) -> Void) async throws -> SandboxBrokerPayload {
        var collected = ByteBuffer()
        var handle: FileHandle?
        var size: Int64 = 0
        do {
            for try await buffer in body {
                inspect(buffer)
                size += Int64(buffer.readableBytes)
                if let handle {
                    try handle.write(contentsOf: buffer.readableBytesView)
                } else if collected.readableBytes + buffer.readableBytes <= inMemoryLimit {
                    var buffer = buffer
                    collected.writeBuffer(&buffer)
                } else {
                    _ = FileManager.default.createFile(atPath: file.path, contents: nil)
                    let opened = try FileHandle(forWritingTo: file)
                    handle = opened
                    try opened.write(contentsOf: collected.readableBytesView)
                    try opened.write(contentsOf: buffer.readableBytesView)
                    collected = ByteBuffer()
                }
            }
            try handle?.close()
        } catch {
            if let handle {
                try? handle.close()
                unlink(file.path)
            }
            throw error
        }
        return handle == nil ? .memory(collected) : .file(file, size: size)
    }

    /// The download's body.
    func responseBody() -> ResponseBody {
        switch self {
        case .memory(let buffer):
            return ResponseBody(byteBuffer: buffer)
        case .file(let url, let size):
            return HTTPAnswer.fileBody(url, size: size)
        }
    }

    /// Drops the bytes (removes the file).
    func remove() {
        if case .file(let url, _) = self { unlink(url.path) }
    }
}
