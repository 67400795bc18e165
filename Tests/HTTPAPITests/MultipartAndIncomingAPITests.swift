import Engine
import Foundation
import HTTPTypes
import HummingbirdTesting
import Model
import NIOCore
import Testing
import TestSupport

@Suite("NextMove API over HTTP: multipart, incoming, subscriptions")
struct MultipartAndIncomingAPITests {
    static let boundary = "----ip-test-boundary"

    /// A multipart/form-data body with the `sbd` field and file parts (name, filename, type, bytes).
    static func multipart(sbd: String?, files: [(String, String, String, [UInt8])], sbdLast: Bool = false) -> ByteBuffer {
        var body = ByteBuffer()
        func part(_ headers: String, _ bytes: [UInt8]) {
            body.writeString("--\(boundary)\r\n\(headers)\r\n\r\n")
            body.writeBytes(bytes)
            body.writeString("\r\n")
        }
        let sbdPart = { if let sbd { part("Content-Disposition: form-data; name=\"sbd\"\r\nContent-Type: application/json", Array(sbd.utf8)) } }
        if !sbdLast { sbdPart() }
        for (name, filename, type, bytes) in files {
            part("Content-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: \(type)", bytes)
        }
        if sbdLast { sbdPart() }
        body.writeString("--\(boundary)--\r\n")
        return body
    }

    static var multipartHeaders: HTTPFields {
        var headers = APIFixture.auth
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return headers
    }

    @Test("Multipart create-and-send stores every part and queues the delivery, whatever the part order",
          arguments: [false, true])
    func multipartSends(sbdLast: Bool) async throws {
        let f = try APIFixture()
        let sbd = try f.engine.arkivmelding()
        let json = String(decoding: sbd.encodedJSON(), as: UTF8.self)
        let pdf = (0..<300_000).map { UInt8($0 % 251) }
        let body = Self.multipart(sbd: json, files: [
            ("Arkivmelding", "arkivmelding.xml", "application/xml", Array(EngineFixture.arkivmeldingXML.utf8)),
            ("Vedtak", "vedtak.pdf", "application/pdf", pdf),
        ], sbdLast: sbdLast)
        try await f.run { client in
            let response = try await client.execute(uri: "/api/messages/out/multipart", method: .post,
                                                    headers: Self.multipartHeaders, body: body)
            #expect(response.status == .ok, "\(response.text)")
        }
        try await f.engine.worker.runOnce()
        let delivered = try #require(f.engine.channel.delivered.first)
        #expect(delivered.contents["vedtak.pdf"] == pdf)
        #expect(delivered.delivery.files.first { $0.filename == "vedtak.pdf" }?.title == "Vedtak")
    }

    @Test("A multipart request that fails a send rule stores nothing, so the same messageId can be sent again")
    func multipartIsAtomic() async throws {
        let f = try APIFixture()
        let messageId = UUID().uuidString.lowercased()
        let json = String(decoding: try f.engine.arkivmelding(messageId: messageId).encodedJSON(), as: UTF8.self)
        try await f.run { client in
            let missing = Self.multipart(sbd: json, files: [("Vedtak", "vedtak.pdf", "application/pdf", [1, 2, 3])])
            let refused = try await client.execute(uri: "/api/messages/out/multipart", method: .post,
                                                   headers: Self.multipartHeaders, body: missing)
            #expect(refused.status == .badRequest)
            #expect(try refused.object()["message"] as? String == "DPO message type requires arkivmelding.xml attachment")
            let conversation = try await client.execute(uri: "/api/conversations/messageId/\(messageId)", method: .get,
                                                        headers: APIFixture.auth)
            #expect(conversation.status == .notFound, "DECISIONS 8: nothing stored")
            let complete = Self.multipart(sbd: json, files: [
                ("Arkivmelding", "arkivmelding.xml", "application/xml", Array(EngineFixture.arkivmeldingXML.utf8)),
                ("Vedtak", "vedtak.pdf", "application/pdf", [1, 2, 3]),
            ])
            let accepted = try await client.execute(uri: "/api/messages/out/multipart", method: .post,
                                                    headers: Self.multipartHeaders, body: complete)
            #expect(accepted.status == .ok)
            let again = try await client.execute(uri: "/api/messages/out/multipart", method: .post,
                                                 headers: Self.multipartHeaders, body: complete)
            #expect(again.status == .ok, "an exact resend answers 200 (DECISIONS 11)")
        }
        #expect(try await f.engine.store.read { tx in try tx.jobs(messageId: messageId).count } == 1)
    }

    @Test("Peek, pop and delete over HTTP: 204 when empty, the container with its headers, the SBD on delete")
    func incoming() async throws {
        let f = try APIFixture()
        var sbd = try f.engine.arkivmelding()
        sbd.standardBusinessDocumentHeader.sender = [Partner(PartnerIdentifier.organization(EngineFixture.receiverOrg))]
        sbd.standardBusinessDocumentHeader.receiver = [Partner(PartnerIdentifier.organization(EngineFixture.ownOrg))]
        let messageId = try #require(sbd.messageId)
        let received = sbd
        try await f.run { client in
            let empty = try await client.execute(uri: "/api/messages/in/peek", method: .get, headers: APIFixture.auth)
            #expect(empty.status == .noContent)
            #expect(empty.body.readableBytes == 0)
            _ = try await f.engine.incoming.receive(received, via: .DPO, container: Chunks(Array("zip".utf8)))
            let notLocked = try await client.execute(uri: "/api/messages/in/pop/\(messageId)", method: .get, headers: APIFixture.auth)
            #expect(notLocked.status == .badRequest)
            let peek = try await client.execute(uri: "/api/messages/in/peek?serviceIdentifier=DPO", method: .get, headers: APIFixture.auth)
            #expect(peek.status == .ok)
            let pop = try await client.execute(uri: "/api/messages/in/pop/\(messageId)", method: .get, headers: APIFixture.auth)
            #expect(pop.status == .ok)
            #expect(pop.text == "zip")
            #expect(pop.headers[.contentType] == "application/vnd.etsi.asic-e+zip")
            #expect(pop.headers[.contentDisposition] == "attachment; filename=asic.zip")
            let deleted = try await client.execute(uri: "/api/messages/in/\(messageId)", method: .delete, headers: APIFixture.auth)
            #expect(deleted.status == .ok)
            #expect(deleted.text.contains(messageId))
            let list = try await client.execute(uri: "/api/conversations?direction=INCOMING", method: .get, headers: APIFixture.auth)
            let conversation = try #require((try list.object()["content"] as? [[String: Any]])?.first)
            let statuses = (conversation["messageStatuses"] as? [[String: Any]])?.compactMap { $0["status"] as? String }
            #expect(statuses == ["OPPRETTET", "INNKOMMENDE_MOTTATT", "INNKOMMENDE_LEVERT"])
        }
    }

    @Test("Subscriptions: validation errors, create with a successful ping, list, delete")
    func subscriptions() async throws {
        let f = try APIFixture()
        try await f.run { client in
            let invalid = try await client.execute(uri: "/api/subscriptions", method: .post, headers: APIFixture.json(),
                                                   body: ByteBuffer(string: #"{"name":"x","pushEndpoint":"not a url","resource":"all","event":"nonexistent"}"#))
            #expect(invalid.status == .badRequest)
            let errors = try #require(try invalid.object()["errors"] as? [[String: Any]])
            #expect(errors.contains { $0["defaultMessage"] as? String == "'nonexistent' is not expected. Allowed values are: [all, status]" })
            let created = try await client.execute(uri: "/api/subscriptions", method: .post, headers: APIFixture.json(),
                                                   body: ByteBuffer(string: #"{"name":"Incoming","pushEndpoint":"http://127.0.0.1:9/hook","resource":"messages","event":"status","filter":"direction=INCOMING"}"#))
            #expect(created.status == .ok)
            let id = try #require(try created.object()["id"] as? Int)
            let list = try await client.execute(uri: "/api/subscriptions", method: .get, headers: APIFixture.auth)
            #expect(try list.object()["totalElements"] as? Int == 1)
            #expect(try await client.execute(uri: "/api/subscriptions/\(id)", method: .delete, headers: APIFixture.auth).status == .ok)
            let gone = try await client.execute(uri: "/api/subscriptions/\(id)", method: .get, headers: APIFixture.auth)
            #expect(gone.status == .notFound)
            #expect(try gone.object()["message"] as? String == "Subscription with id = \(id) was not found")
        }
        #expect(f.engine.pusher.pushed.first?.json.contains("\"ping\"") == true)
    }
}
