import Engine
import Foundation
import HTTPTypes
import HummingbirdTesting
import Model
import NIOCore
import Testing
import TestSupport

@Suite("NextMove API over HTTP: outgoing messages")
struct OutgoingAPITests {
    func sbdJSON(_ f: APIFixture, messageId: String = UUID().uuidString.lowercased()) throws -> String {
        String(decoding: try f.engine.arkivmelding(messageId: messageId).encodedJSON(), as: UTF8.self)
    }

    @Test("Create, upload, send and read back: the upstream status codes and bodies")
    func createUploadSend() async throws {
        let f = try APIFixture()
        let messageId = UUID().uuidString.lowercased()
        let sbd = try sbdJSON(f, messageId: messageId)
        try await f.run { client in
            let created = try await client.execute(uri: "/api/messages/out", method: .post, headers: APIFixture.json(),
                                                   body: ByteBuffer(string: sbd))
            #expect(created.status == .ok)
            let header = try #require(try created.object()["standardBusinessDocumentHeader"] as? [String: Any])
            let identification = try #require(header["documentIdentification"] as? [String: Any])
            #expect(identification["instanceIdentifier"] as? String == messageId)
            #expect(identification["creationDateAndTime"] != nil, "defaults are filled in")
            #expect(created.text.hasPrefix("{\n  \"standardBusinessDocumentHeader\" : {"), "header first, Jackson layout")

            var headers = APIFixture.auth
            headers[.contentType] = "application/xml"
            headers[.contentDisposition] = "attachment; name=\"Arkivmelding\"; filename=\"arkivmelding.xml\""
            let upload = try await client.execute(uri: "/api/messages/out/\(messageId)", method: .put, headers: headers,
                                                  body: ByteBuffer(string: EngineFixture.arkivmeldingXML))
            #expect(upload.status == .ok)
            headers[.contentType] = "application/pdf"
            headers[.contentDisposition] = "attachment; name=Vedtak; filename=vedtak.pdf"
            _ = try await client.execute(uri: "/api/messages/out/\(messageId)", method: .put, headers: headers,
                                         body: ByteBuffer(bytes: [0x25, 0x50, 0x44, 0x46]))
            let sent = try await client.execute(uri: "/api/messages/out/\(messageId)", method: .post, headers: APIFixture.auth)
            #expect(sent.status == .ok)
            #expect(sent.body.readableBytes == 0)

            let statuses = try await client.execute(uri: "/api/statuses/\(messageId)", method: .get, headers: APIFixture.auth)
            let page = try statuses.object()
            #expect(page["totalElements"] as? Int == 1)
            #expect((page["content"] as? [[String: Any]])?.first?["status"] as? String == "OPPRETTET")
            #expect(page["pageable"] != nil && page["numberOfElements"] as? Int == 1)
        }
        try await f.engine.worker.runOnce()
        #expect(f.engine.channel.delivered.first?.contents["vedtak.pdf"] == [0x25, 0x50, 0x44, 0x46])
    }

    @Test("Every refusal uses the upstream error body")
    func errorBodies() async throws {
        let f = try APIFixture()
        try await f.run { client in
            let missing = try await client.execute(uri: "/api/messages/out/0b6f1d62-7b8a-4e1c-9f0e-2d4b1f3c5a71",
                                                   method: .get, headers: APIFixture.auth)
            #expect(missing.status == .notFound)
            let body = try missing.object()
            #expect(body["message"] as? String == "Message with messageId = 0b6f1d62-7b8a-4e1c-9f0e-2d4b1f3c5a71 was not found")
            #expect(body["status"] as? Int == 404)
            #expect(body["error"] as? String == "Not Found")
            #expect(body["path"] as? String == "/api/messages/out/0b6f1d62-7b8a-4e1c-9f0e-2d4b1f3c5a71")
            #expect((body["timestamp"] as? String)?.contains("T") == true)

            let broken = try await client.execute(uri: "/api/messages/out", method: .post, headers: APIFixture.json(),
                                                  body: ByteBuffer(string: "{ not json"))
            #expect(broken.status == .badRequest)
            #expect((try broken.object()["message"] as? String)?.hasPrefix("JSON parse error") == true)

            let strange = """
            {"standardBusinessDocumentHeader":{"headerVersion":"1.0","documentIdentification":{"standard":"x::strange","typeVersion":"1.0","type":"strange"},"businessScope":{"scope":[{"type":"ConversationId","identifier":"p"}]}},"strange":{}}
            """
            let unknown = try await client.execute(uri: "/api/messages/out", method: .post, headers: APIFixture.json(),
                                                   body: ByteBuffer(string: strange))
            #expect(unknown.status == .badRequest, "DECISIONS 3: 400, not 500")
            #expect((try unknown.object()["message"] as? String)?.hasPrefix("Unknown BusinessMessageType = strange") == true)

            var textPlain = APIFixture.auth
            textPlain[.contentType] = "text/plain"
            let wrongType = try await client.execute(uri: "/api/messages/out", method: .post, headers: textPlain,
                                                     body: ByteBuffer(string: "{}"))
            #expect(wrongType.status == .unsupportedMediaType)

            let badPage = try await client.execute(uri: "/api/conversations?size=-1", method: .get, headers: APIFixture.auth)
            #expect(badPage.status == .badRequest)
            let badSort = try await client.execute(uri: "/api/conversations?sort=nope,desc", method: .get, headers: APIFixture.auth)
            #expect(badSort.status == .badRequest)
            #expect((try badSort.object()["message"] as? String)?.contains("nope") == true)
        }
    }

    @Test("An upload without Content-Disposition is refused with Spring's text")
    func uploadHeaders() async throws {
        let f = try APIFixture()
        let created = try await f.engine.outgoing.create(try f.engine.arkivmelding())
        try await f.run { client in
            var headers = APIFixture.auth
            headers[.contentType] = "application/pdf"
            let response = try await client.execute(uri: "/api/messages/out/\(created.messageId!)", method: .put,
                                                    headers: headers, body: ByteBuffer(string: "x"))
            #expect(response.status == .badRequest)
            #expect(try response.object()["message"] as? String == "Required header 'Content-Disposition' is not present.")
        }
    }

    @Test("Credentials are required everywhere but /manage/health")
    func authentication() async throws {
        let f = try APIFixture()
        try await f.run { client in
            let anonymous = try await client.execute(uri: "/api/conversations", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            var wrong: HTTPFields = [:]
            wrong[.authorization] = "Basic " + Data("ip-user:guess".utf8).base64EncodedString()
            #expect(try await client.execute(uri: "/api/conversations", method: .get, headers: wrong).status == .unauthorized)
            let health = try await client.execute(uri: "/manage/health", method: .get)
            #expect(health.status == .ok)
            #expect(try health.object()["status"] as? String == "UP")
            #expect(try await client.execute(uri: "/manage/info", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/manage/info", method: .get, headers: APIFixture.auth).status == .ok)
        }
    }
}
