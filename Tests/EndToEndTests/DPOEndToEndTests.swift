import Foundation
import Packaging
import Testing

@Suite("DPO end to end: two integration point binaries on the sandbox network", .serialized)
struct DPOEndToEndTests {
    @Test("A sends, B peeks, pops and deletes; the container holds exactly A's files with a valid signature; A sees OPPRETTET, SENDT, MOTTATT, LEVERT")
    func sendAndReceive() async throws {
        let pair = try await SandboxPair.start()
        do {
            let messageId = UUID().uuidString.lowercased()
            let attachment = Data((0..<70_000).map { UInt8($0 % 253) })
            try await pair.send(messageId: messageId, attachment: attachment)
            let taken = try await pair.takeAtB()
            #expect(taken.map(\.messageId) == [messageId])
            let container = try #require(taken.first?.container)
            let asic = FileManager.default.temporaryDirectory.appendingPathComponent("\(messageId).asice")
            defer { try? FileManager.default.removeItem(at: asic) }
            try container.write(to: asic)
            let reader = try AsicReader(url: asic)
            let verification = try reader.verify()
            #expect(verification.unsignedDocuments.isEmpty)
            #expect(try reader.data("vedlegg.pdf") == attachment)
            #expect(Set(reader.documents.map(\.name)).isSuperset(of: ["arkivmelding.xml", "vedlegg.pdf"]))
            try await pair.expectStatusesAtA(messageId, ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)\nB:\n\(pair.b.log)")
        }
        await pair.stop()
    }

    @Test("B's archive system answers with an arkivmelding_kvittering: A records LEST with the receipt's type")
    func archiveReceipt() async throws {
        let pair = try await SandboxPair.start()
        let messageId = UUID().uuidString.lowercased()
        try await pair.send(messageId: messageId, attachment: Data("pdf".utf8))
        #expect(try await pair.takeAtB().map(\.messageId) == [messageId])
        let receiptId = UUID().uuidString.lowercased()
        let receipt = Data("""
        {"standardBusinessDocumentHeader":{"headerVersion":"1.0",
          "sender":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(SandboxPair.receiverOrg)"}}],
          "receiver":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(SandboxPair.senderOrg)"}}],
          "documentIdentification":{"standard":"urn:no:difi:arkivmelding:xsd::arkivmelding_kvittering","typeVersion":"2.0",
            "instanceIdentifier":"\(receiptId)","type":"arkivmelding_kvittering"},
          "businessScope":{"scope":[{"type":"ConversationId","identifier":"urn:no:difi:profile:arkivmelding:response:ver1.0"}]}},
         "arkivmelding_kvittering":{"receiptType":"OK","relatedToMessageId":"\(messageId)"}}
        """.utf8)
        try pair.expect(await pair.call(pair.b, "POST", "/api/messages/out", body: receipt,
                                        headers: ["Content-Type": "application/json"]), "create receipt at B")
        try pair.expect(await pair.call(pair.b, "POST", "/api/messages/out/\(receiptId)"), "send receipt at B")
        try await pair.expectStatusesAtA(messageId, until: "LEST", ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT", "LEST"])
        await pair.stop()
    }

    @Test("A broker that fails the first upload with 500 still ends in exactly one delivery")
    func brokerFailureIsRetried() async throws {
        let pair = try await SandboxPair.start()
        pair.network.broker.failNextUploads(1, status: 500)
        let messageId = UUID().uuidString.lowercased()
        try await pair.send(messageId: messageId, attachment: Data("pdf".utf8))
        let taken = try await pair.takeAtB()
        #expect(taken.map(\.messageId) == [messageId])
        try await pair.expectStatusesAtA(messageId, ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])
        #expect(try await pair.takeAtB(count: 1, timeout: 3).isEmpty, "delivered once")
        await pair.stop()
    }

    @Test("Multipart create-and-send reaches LEVERT too, and /api/capabilities shows what the receiver takes")
    func multipartAndCapabilities() async throws {
        let pair = try await SandboxPair.start()
        let capabilities = try await pair.call(pair.a, "GET", "/api/capabilities/\(SandboxPair.receiverOrg)")
        #expect(capabilities.status == 200)
        let list = (try JSONSerialization.jsonObject(with: capabilities.body) as? [String: Any])?["capabilities"] as? [[String: Any]]
        #expect(list?.contains { $0["serviceIdentifier"] as? String == "DPO"
            && $0["process"] as? String == "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0" } == true)
        let unknown = try await pair.call(pair.a, "GET", "/api/capabilities/999999999")
        #expect(unknown.status == 404)
        pair.network.registry.failNextLookups(1)
        let registryDown = try await pair.call(pair.a, "GET", "/api/capabilities/999999998")
        #expect(registryDown.status == 502, "a registry that answers 503 is the registry's fault, not the client's")
        #expect(String(decoding: registryDown.body, as: UTF8.self).contains("The service registry could not be reached"))

        let messageId = UUID().uuidString.lowercased()
        let boundary = "e2e-boundary"
        var body = Data()
        func part(_ headers: String, _ bytes: Data) {
            body.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
            body.append(bytes)
            body.append(Data("\r\n".utf8))
        }
        part("Content-Disposition: form-data; name=\"sbd\"\r\nContent-Type: application/json", SandboxPair.sbd(messageId: messageId))
        part("Content-Disposition: form-data; name=\"Arkivmelding\"; filename=\"arkivmelding.xml\"\r\nContent-Type: application/xml",
             Data(SandboxPair.arkivmelding.utf8))
        part("Content-Disposition: form-data; name=\"Vedlegg\"; filename=\"vedlegg.pdf\"\r\nContent-Type: application/pdf",
             Data("multipart".utf8))
        body.append(Data("--\(boundary)--\r\n".utf8))
        try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out/multipart", body: body,
                                        headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"]), "multipart")
        #expect(try await pair.takeAtB().map(\.messageId) == [messageId])
        try await pair.expectStatusesAtA(messageId, ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])
        await pair.stop()
    }

    @Test("A receiver the service registry does not know is refused at create")
    func unknownReceiver() async throws {
        let pair = try await SandboxPair.start()
        let reply = try await pair.call(pair.a, "POST", "/api/messages/out",
                                        body: SandboxPair.sbd(messageId: UUID().uuidString.lowercased(), receiver: "999999999"),
                                        headers: ["Content-Type": "application/json"])
        #expect(reply.status == 400)
        let body = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any]
        #expect((body?["message"] as? String)?.hasPrefix("Receiver do not accept the document process") == true)
        await pair.stop()
    }

    @Test("Killed with SIGKILL right after a send was accepted, then restarted: the message is delivered once and nothing is lost")
    func crashAfterAcceptedSend() async throws {
        let pair = try await SandboxPair.start()
        var sent: [String] = []
        for _ in 0..<3 {
            let messageId = UUID().uuidString.lowercased()
            try await pair.send(messageId: messageId, attachment: Data("crash test".utf8))
            sent.append(messageId)
        }
        pair.a.kill(signal: SIGKILL)
        _ = try await pair.a.waitForExit()
        try pair.a.start()
        try await pair.a.waitUntilReady()
        let taken = try await pair.takeAtB(count: sent.count, timeout: 90)
        #expect(Set(taken.map(\.messageId)) == Set(sent))
        #expect(taken.count == sent.count, "no duplicates")
        for messageId in sent {
            let statuses = try await pair.statusesAtA(messageId)
            #expect(statuses == ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"], "\(messageId): \(statuses)")
        }
        #expect(try await pair.takeAtB(count: 1, timeout: 3).isEmpty, "nothing delivered twice")
        await pair.stop()
    }
}
