import Channels
import Foundation
import NIOCore
import Testing
import TestTools

@Suite("A streamed multipart/form-data body")
struct MultipartBodyTests {
    static func file(_ bytes: [UInt8], chunk: Int = 1000) -> @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error> {
        {
            AsyncThrowingStream { continuation in
                var index = 0
                while index < bytes.count {
                    continuation.yield(Array(bytes[index..<min(index + chunk, bytes.count)]))
                    index += chunk
                }
                continuation.finish()
            }
        }
    }

    @Test("Its announced length is what it produces, and Python's multipart parser reads back every field and file")
    func roundTripThroughPython() async throws {
        let pdf = (0..<70_000).map { UInt8($0 % 256) }
        let body = MultipartBody(parts: [
            .field(name: "correspondence.content.messageTitle", value: "Vedtak – søknad om «tilskudd»"),
            .field(name: "recipients[0]", value: "urn:altinn:organization:identifier-no:910075946"),
            .file(name: "attachments", filename: "vedtak æøå.pdf", contentType: "application/pdf",
                  size: Int64(pdf.count), open: Self.file(pdf)),
        ])
        var produced = Data()
        var chunks = 0
        for try await buffer in body.chunks {
            produced.append(contentsOf: buffer.readableBytesView)
            chunks += 1
        }
        #expect(Int64(produced.count) == body.length)
        #expect(chunks > 70, "the file went through in its own chunks, not as one piece")
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let file = scratch.url.appendingPathComponent("body")
        try produced.write(to: file)
        let script = """
        import sys, email, hashlib
        from email import policy
        raw = open(sys.argv[1], 'rb').read()
        message = email.message_from_bytes(b'Content-Type: ' + sys.argv[2].encode() + b'\\r\\n\\r\\n' + raw, policy=policy.HTTP)
        for part in message.iter_parts():
            name = part.get_param('name', header='content-disposition')
            filename = part.get_filename()
            payload = part.get_payload(decode=True)
            if filename:
                print(name, filename, part.get_content_type(), len(payload), hashlib.sha256(payload).hexdigest())
            else:
                print(name, payload.decode('utf-8'))
        """
        let output = try ExternalTool.run("python3", ["-c", script, file.path, body.formDataContentType])
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        let digest = try ExternalTool.run("python3", ["-c", "import hashlib,sys; print(hashlib.sha256(bytes(range(256))*273+bytes(range(112))).hexdigest())"])
        #expect(lines == [
            "correspondence.content.messageTitle Vedtak – søknad om «tilskudd»",
            "recipients[0] urn:altinn:organization:identifier-no:910075946",
            "attachments vedtak æøå.pdf application/pdf 70000 \(String(decoding: digest, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))",
        ])
    }

    @Test("A file shorter than announced makes the body shorter than its length, so the upload fails rather than goes out wrong")
    func shortFile() async throws {
        let body = MultipartBody(parts: [
            .file(name: "attachments", filename: "a.pdf", contentType: "application/pdf", size: 10, open: Self.file([1, 2, 3])),
        ])
        var count = 0
        for try await buffer in body.chunks { count += buffer.readableBytes }
        #expect(Int64(count) == body.length - 7)
    }
}
