import Foundation
import NIOCore
import Packaging
import Testing
@testable import HTTPAPI

@Suite("The streaming multipart reader")
struct MultipartReaderTests {
    /// Feeds `body` in chunks of `size` bytes.
    struct Chunked: AsyncIteratorProtocol {
        var bytes: [UInt8]
        let size: Int
        mutating func next() async throws -> ByteBuffer? {
            guard !bytes.isEmpty else { return nil }
            let chunk = Array(bytes.prefix(size))
            bytes.removeFirst(chunk.count)
            return ByteBuffer(bytes: chunk)
        }
    }

    static let body = Array("""
    preamble to ignore\r
    --XyZ\r
    Content-Disposition: form-data; name="sbd"\r
    Content-Type: application/json\r
    \r
    {"a":1}\r
    --XyZ  \r
    Content-Disposition: form-data; name="Doc"; filename="doc.bin"\r
    \r
    line one\r
    --Xy is almost a boundary, \r\n-- too\r
    line two\r
    --XyZ--\r
    epilogue
    """.utf8)

    @Test("Parts and bodies come out the same whatever the chunk size, partial boundaries included",
          arguments: [1, 2, 3, 7, 64, 4096])
    func chunkSizes(size: Int) async throws {
        let reader = MIMEMultipartReader(boundary: "XyZ", source: ByteBufferBytes(Chunked(bytes: Self.body, size: size)))
        var parts: [(String?, String)] = []
        while let headers = try await reader.nextPart() {
            var body: [UInt8] = []
            while let chunk = try await reader.readChunk() { body += chunk }
            parts.append((headers.value("content-disposition"), String(decoding: body, as: UTF8.self)))
        }
        #expect(parts.count == 2)
        #expect(parts[0].0 == "form-data; name=\"sbd\"")
        #expect(parts[0].1 == "{\"a\":1}")
        #expect(parts[1].1 == "line one\r\n--Xy is almost a boundary, \r\n-- too\r\nline two")
    }

    @Test("A body cut off before the closing boundary is an error, not a silent truncation")
    func truncated() async throws {
        let cut = Array(Self.body.prefix(150))
        let reader = MIMEMultipartReader(boundary: "XyZ", source: ByteBufferBytes(Chunked(bytes: cut, size: 16)))
        await #expect(throws: MIMEMultipartError.self) {
            while try await reader.nextPart() != nil {
                while try await reader.readChunk() != nil {}
            }
        }
    }
}
