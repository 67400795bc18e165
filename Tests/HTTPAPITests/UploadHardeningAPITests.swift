import Engine
import Foundation
import HTTPTypes
import HummingbirdTesting
import Model
import NIOCore
import Storage
import Testing
import TestSupport

/// Uploads (PUT and multipart) refuse unsafe file names, duplicate names and files over the channel's limit with a
/// 400 and the upstream error body, before anything is stored (issue 8, "Bad input").
@Suite("NextMove API over HTTP: upload hardening")
struct UploadHardeningAPITests {
    static let unsafeNames: [(label: String, disposition: String)] = [
        ("parent directory", #"attachment; name="Vedlegg"; filename="../../etc/passwd""#),
        // Inside a quoted filename a backslash escapes the next character (RFC 2616 quoted-pair), so a backslash
        // only arrives through RFC 5987.
        ("parent directory, backslashes", "attachment; name=\"Vedlegg\"; filename*=UTF-8''..%5C..%5Cwindows%5Cwin.ini"),
        ("absolute path", #"attachment; name="Vedlegg"; filename="/etc/passwd""#),
        ("drive letter", #"attachment; name="Vedlegg"; filename="C:evil.pdf""#),
        ("dot-dot alone", #"attachment; name="Vedlegg"; filename="..""#),
        ("NUL through RFC 5987", "attachment; name=\"Vedlegg\"; filename*=UTF-8''vedlegg.pdf%00.xml"),
        ("encoded slash through RFC 5987", "attachment; name=\"Vedlegg\"; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd"),
        ("control character", "attachment; name=\"Vedlegg\"; filename*=UTF-8''a%0Ab.pdf"),
    ]

    /// Every regular file under the engine's payload folder.
    static func payloadFiles(_ f: APIFixture) -> [String] {
        let folder = f.engine.root.appendingPathComponent("messages")
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        return walker.compactMap { item in
            guard let url = item as? URL,
                  (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { return nil }
            return url.path
        }
    }

    static func files(_ f: APIFixture, _ messageId: String) async throws -> [StoredFileRecord] {
        try await f.engine.store.read { try $0.files(messageId: messageId) }
    }

    static func create(_ f: APIFixture, _ client: some TestClientProtocol) async throws -> String {
        let messageId = UUID().uuidString.lowercased()
        let sbd = String(decoding: try f.engine.arkivmelding(messageId: messageId).encodedJSON(), as: UTF8.self)
        let created = try await client.execute(uri: "/api/messages/out", method: .post, headers: APIFixture.json(),
                                               body: ByteBuffer(string: sbd))
        #expect(created.status == .ok)
        return messageId
    }

    static func put(_ client: some TestClientProtocol, _ messageId: String, disposition: String,
                    bytes: [UInt8] = Array("%PDF-1.4".utf8)) async throws -> TestResponse {
        var headers = APIFixture.auth
        headers[.contentType] = "application/pdf"
        headers[.contentDisposition] = disposition
        return try await client.execute(uri: "/api/messages/out/\(messageId)", method: .put, headers: headers,
                                        body: ByteBuffer(bytes: bytes))
    }

    static func expectRefusal(_ response: TestResponse, containing text: String? = nil,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == .badRequest, "\(response.text)", sourceLocation: sourceLocation)
        let body = try response.object()
        #expect(body["status"] as? Int == 400, sourceLocation: sourceLocation)
        #expect(body["error"] as? String == "Bad Request", sourceLocation: sourceLocation)
        #expect(body["path"] as? String != nil && body["timestamp"] as? String != nil, sourceLocation: sourceLocation)
        if let text {
            #expect((body["message"] as? String)?.contains(text) == true, "\(body["message"] ?? "")",
                    sourceLocation: sourceLocation)
        }
    }

    @Test("PUT refuses path traversal, absolute paths and NUL in the file name, storing nothing",
          arguments: unsafeNames.map(\.disposition))
    func putRefusesUnsafeNames(disposition: String) async throws {
        let f = try APIFixture()
        try await f.run { client in
            let messageId = try await Self.create(f, client)
            let response = try await Self.put(client, messageId, disposition: disposition)
            try Self.expectRefusal(response)
            #expect(try await Self.files(f, messageId).isEmpty)
            #expect(Self.payloadFiles(f).isEmpty)
        }
    }

    @Test("Multipart refuses path traversal, absolute paths and NUL in a file name, storing no message",
          arguments: ["../../etc/passwd", "/etc/passwd", "C:evil.pdf", ".."])
    func multipartRefusesUnsafeNames(filename: String) async throws {
        let f = try APIFixture()
        let messageId = UUID().uuidString.lowercased()
        let sbd = String(decoding: try f.engine.arkivmelding(messageId: messageId).encodedJSON(), as: UTF8.self)
        let body = MultipartAndIncomingAPITests.multipart(sbd: sbd, files: [
            ("Arkivmelding", "arkivmelding.xml", "application/xml", Array(EngineFixture.arkivmeldingXML.utf8)),
            ("Vedlegg", filename, "application/pdf", Array("%PDF-1.4".utf8)),
        ])
        try await f.run { client in
            let response = try await client.execute(uri: "/api/messages/out/multipart", method: .post,
                                                    headers: MultipartAndIncomingAPITests.multipartHeaders, body: body)
            try Self.expectRefusal(response, containing: "Invalid filename")
        }
        #expect(try await f.engine.store.read { try $0.outgoing(messageId: messageId) } == nil)
        #expect(try await Self.files(f, messageId).isEmpty)
        #expect(Self.payloadFiles(f).isEmpty)
    }

    @Test("PUT of a second file with the same name is refused and the first stays as it was")
    func putRefusesDuplicateName() async throws {
        let f = try APIFixture()
        try await f.run { client in
            let messageId = try await Self.create(f, client)
            let disposition = #"attachment; name="Vedlegg"; filename="vedlegg.pdf""#
            #expect(try await Self.put(client, messageId, disposition: disposition).status == .ok)
            let again = try await Self.put(client, messageId, disposition: disposition, bytes: Array("other".utf8))
            try Self.expectRefusal(again, containing: "Filename already exists in message: vedlegg.pdf.")
            let files = try await Self.files(f, messageId)
            #expect(files.map(\.filename) == ["vedlegg.pdf"])
            #expect(files.first?.size == 8)
            #expect(Self.payloadFiles(f).count == 1)
        }
    }

    @Test("Multipart with two files of the same name is refused and stores nothing")
    func multipartRefusesDuplicateNames() async throws {
        let f = try APIFixture()
        let messageId = UUID().uuidString.lowercased()
        let sbd = String(decoding: try f.engine.arkivmelding(messageId: messageId).encodedJSON(), as: UTF8.self)
        let body = MultipartAndIncomingAPITests.multipart(sbd: sbd, files: [
            ("Arkivmelding", "arkivmelding.xml", "application/xml", Array(EngineFixture.arkivmeldingXML.utf8)),
            ("Vedlegg", "vedlegg.pdf", "application/pdf", Array("%PDF-1.4".utf8)),
            ("Vedlegg igjen", "vedlegg.pdf", "application/pdf", Array("%PDF-1.5".utf8)),
        ])
        try await f.run { client in
            let response = try await client.execute(uri: "/api/messages/out/multipart", method: .post,
                                                    headers: MultipartAndIncomingAPITests.multipartHeaders, body: body)
            try Self.expectRefusal(response, containing: "vedlegg.pdf")
        }
        #expect(try await f.engine.store.read { try $0.outgoing(messageId: messageId) } == nil)
        #expect(Self.payloadFiles(f).isEmpty)
    }

    @Test("PUT over the channel's upload limit is refused from its Content-Length before anything is stored")
    func putRefusesOverLimit() async throws {
        let f = try APIFixture { $0.uploadSizeLimits[.DPO] = 1_000 }
        try await f.run { client in
            let messageId = try await Self.create(f, client)
            let response = try await Self.put(client, messageId, disposition: "attachment; name=Stor; filename=stor.pdf",
                                              bytes: [UInt8](repeating: 0x41, count: 1_500))
            try Self.expectRefusal(response, containing: "exceeds the maximum allowed upload size")
            #expect(try await Self.files(f, messageId).isEmpty)
            #expect(Self.payloadFiles(f).isEmpty)
            // The limit is for all files together: 600 fits, another 600 does not.
            let first = try await Self.put(client, messageId, disposition: "attachment; name=A; filename=a.pdf",
                                           bytes: [UInt8](repeating: 0x41, count: 600))
            #expect(first.status == .ok)
            let second = try await Self.put(client, messageId, disposition: "attachment; name=B; filename=b.pdf",
                                            bytes: [UInt8](repeating: 0x41, count: 600))
            try Self.expectRefusal(second, containing: "exceeds the maximum allowed upload size")
            #expect(try await Self.files(f, messageId).map(\.filename) == ["a.pdf"])
            #expect(Self.payloadFiles(f).count == 1)
        }
    }

    @Test("Multipart over the channel's upload limit is refused while streaming and stores nothing")
    func multipartRefusesOverLimit() async throws {
        let f = try APIFixture { $0.uploadSizeLimits[.DPO] = 4_000 }
        let messageId = UUID().uuidString.lowercased()
        let sbd = String(decoding: try f.engine.arkivmelding(messageId: messageId).encodedJSON(), as: UTF8.self)
        let body = MultipartAndIncomingAPITests.multipart(sbd: sbd, files: [
            ("Arkivmelding", "arkivmelding.xml", "application/xml", Array(EngineFixture.arkivmeldingXML.utf8)),
            ("Stor", "stor.pdf", "application/pdf", [UInt8](repeating: 0x41, count: 10_000)),
        ])
        try await f.run { client in
            let response = try await client.execute(uri: "/api/messages/out/multipart", method: .post,
                                                    headers: MultipartAndIncomingAPITests.multipartHeaders, body: body)
            try Self.expectRefusal(response, containing: "exceeds the maximum allowed upload size")
        }
        #expect(try await f.engine.store.read { try $0.outgoing(messageId: messageId) } == nil)
        #expect(Self.payloadFiles(f).isEmpty)
    }
}
