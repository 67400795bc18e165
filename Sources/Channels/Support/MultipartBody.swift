import Foundation
import NIOCore

/// A MIME multipart request body (`multipart/form-data`, or `multipart/related` for SOAP with MTOM) made of small
/// parts in memory and large parts in files. It streams part by part — a file is read a chunk at a time, never
/// whole — and knows its exact length up front, so the request carries a `Content-Length`.
struct MultipartBody: Sendable {
    enum Content: Sendable {
        case data(Data)
        case file(URL, size: Int64)

        var size: Int64 {
            switch self {
            case .data(let data): Int64(data.count)
            case .file(_, let size): size
            }
        }
    }

    struct Part: Sendable {
        var headers: [(String, String)]
        var content: Content
    }

    let boundary: String
    let parts: [Part]

    init(boundary: String = "uuid:" + UUID().uuidString.lowercased(), parts: [Part]) {
        self.boundary = boundary
        self.parts = parts
    }

    /// The pieces in order: delimiter and headers as bytes, contents as they are.
    private var segments: [Content] {
        var segments: [Content] = []
        for part in parts {
            var head = "--\(boundary)\r\n"
            for (name, value) in part.headers { head += "\(name): \(value)\r\n" }
            head += "\r\n"
            segments.append(.data(Data(head.utf8)))
            segments.append(part.content)
            segments.append(.data(Data("\r\n".utf8)))
        }
        segments.append(.data(Data("--\(boundary)--\r\n".utf8)))
        return segments
    }

    var length: Int64 { segments.reduce(0) { $0 + $1.size } }

    var chunks: Chunks { Chunks(segments: segments) }

    /// The body's bytes, one chunk at a time.
    struct Chunks: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let segments: [Content]

        struct AsyncIterator: AsyncIteratorProtocol {
            var segments: [Content]
            var index = 0
            var handle: FileHandle?

            mutating func next() async throws -> ByteBuffer? {
                while index < segments.count {
                    switch segments[index] {
                    case .data(let data):
                        index += 1
                        if !data.isEmpty { return ByteBuffer(bytes: data) }
                    case .file(let url, _):
                        if handle == nil { handle = try FileHandle(forReadingFrom: url) }
                        if let chunk = try handle?.read(upToCount: 256 * 1024), !chunk.isEmpty {
                            return ByteBuffer(bytes: chunk)
                        }
                        try? handle?.close()
                        handle = nil
                        index += 1
                    }
                }
                return nil
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(segments: segments) }
    }
}
