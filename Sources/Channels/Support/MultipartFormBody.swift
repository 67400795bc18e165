import Foundation
import NIOCore

/// A `multipart/form-data` request body (RFC 7578) streamed part by part: small parts from memory, large ones
/// from their temporary file, so a document package is never read whole into memory for the upload.
struct MultipartFormBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    struct Part: Sendable {
        var name: String
        var filename: String
        var contentType: String
        var content: SpilledBytes

        init(name: String, filename: String, contentType: String, content: SpilledBytes) {
            self.name = name
            self.filename = filename
            self.contentType = contentType
            self.content = content
        }

        init(name: String, filename: String, contentType: String, data: Data) {
            self.init(name: name, filename: filename, contentType: contentType,
                      content: SpilledBytes(storage: .memory(data), size: Int64(data.count), sha256: Data()))
        }
    }

    let boundary: String
    let parts: [Part]
    let chunkSize: Int

    init(parts: [Part], boundary: String = "----eFormidling\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))",
         chunkSize: Int = 256 * 1024) {
        self.parts = parts
        self.boundary = boundary
        self.chunkSize = chunkSize
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// The exact byte count, for `Content-Length`.
    var length: Int64 {
        parts.indices.reduce(Int64(closing.utf8.count)) { $0 + Int64(header(of: $1).utf8.count) + parts[$1].content.size + 2 }
    }

    private func header(of index: Int) -> String {
        let part = parts[index]
        return "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"; filename=\"\(part.filename)\"\r\n"
            + "Content-Type: \(part.contentType)\r\n\r\n"
    }

    private var closing: String { "--\(boundary)--\r\n" }

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: MultipartFormBody
        var index = 0
        /// 0: header next, 1: content, 2: CRLF after the content.
        var stage = 0
        var handle: FileHandle?
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            while !finished {
                guard index < body.parts.count else {
                    finished = true
                    return ByteBuffer(string: body.closing)
                }
                switch stage {
                case 0:
                    stage = 1
                    return ByteBuffer(string: body.header(of: index))
                case 1:
                    switch body.parts[index].content.storage {
                    case .memory(let data):
                        stage = 2
                        if !data.isEmpty { return ByteBuffer(bytes: data) }
                    case .file(let url):
                        if handle == nil { handle = try FileHandle(forReadingFrom: url) }
                        if let chunk = try handle?.read(upToCount: body.chunkSize), !chunk.isEmpty {
                            return ByteBuffer(bytes: chunk)
                        }
                        try? handle?.close()
                        handle = nil
                        stage = 2
                    }
                default:
                    stage = 0
                    index += 1
                    return ByteBuffer(string: "\r\n")
                }
            }
            return nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }
}
