import Foundation
import Sandbox
import Testing

/// DPV on the binary: A sends to the sandbox's Altinn Correspondence and follows the correspondences' statuses.
@Suite("DPV end to end: correspondences through the sandbox's Altinn", .serialized)
struct DPVEndToEndTests {
    static let organisation = SandboxAltinnCorrespondence.organisationNumber
    static let person = SandboxAltinnCorrespondence.personNumber

    static func digitalDPV(messageId: String) -> Data {
        Data("""
        {"standardBusinessDocumentHeader":{"headerVersion":"1.0",
          "sender":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(SandboxPair.senderOrg)"}}],
          "receiver":[{"identifier":{"authority":"iso6523-actorid-upis","value":"\(person)"}}],
          "documentIdentification":{"standard":"urn:no:difi:digitalpost:xsd:digital::digital_dpv","typeVersion":"2.0",
            "instanceIdentifier":"\(messageId)","type":"digital_dpv"},
          "businessScope":{"scope":[{"type":"ConversationId","identifier":"urn:no:difi:profile:digitalpost:info:ver1.0"}]}},
         "digital_dpv":{"tittel":"Svar på søknad","sammendrag":"Innvilget","innhold":"Se vedtaket."}}
        """.utf8)
    }

    func sendArkivmelding(_ pair: SandboxPair, messageId: String) async throws {
        try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out",
                                        body: SandboxPair.sbd(messageId: messageId, receiver: Self.organisation),
                                        headers: ["Content-Type": "application/json"]), "create")
        try pair.expect(await pair.call(pair.a, "PUT", "/api/messages/out/\(messageId)", body: Data(SandboxPair.arkivmelding.utf8),
                                        headers: ["Content-Type": "application/xml",
                                                  "Content-Disposition": "attachment; name=Arkivmelding; filename=arkivmelding.xml"]), "upload")
        try pair.expect(await pair.call(pair.a, "PUT", "/api/messages/out/\(messageId)", body: Data("%PDF-1.4 e2e".utf8),
                                        headers: ["Content-Type": "application/pdf",
                                                  "Content-Disposition": "attachment; name=Vedlegg; filename=vedlegg.pdf"]), "upload")
        try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out/\(messageId)"), "send")
    }

    @Test("An arkivmelding to an organisation and a digital_dpv to a person reach LEVERT, and LEST once read in Altinn")
    func organisationAndPerson() async throws {
        let pair = try await SandboxPair.start()
        do {
            let altinn = try #require(pair.network.service(SandboxAltinnCorrespondence.self))
            let capabilities = try await pair.call(pair.a, "GET", "/api/capabilities/\(Self.organisation)")
            let list = (try JSONSerialization.jsonObject(with: capabilities.body) as? [String: Any])?["capabilities"] as? [[String: Any]]
            #expect(list?.map { $0["serviceIdentifier"] as? String } == ["DPV", "DPV"], "arkivmelding and its receipts, over DPV")

            let toOrganisation = UUID().uuidString.lowercased()
            try await sendArkivmelding(pair, messageId: toOrganisation)
            let toPerson = UUID().uuidString.lowercased()
            try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out", body: Self.digitalDPV(messageId: toPerson),
                                            headers: ["Content-Type": "application/json"]), "create digital_dpv")
            try pair.expect(await pair.call(pair.a, "PUT", "/api/messages/out/\(toPerson)", body: Data("%PDF-1.4 vedtak".utf8),
                                            headers: ["Content-Type": "application/pdf",
                                                      "Content-Disposition": "attachment; name=Vedtak; filename=vedtak.pdf"]), "upload")
            try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out/\(toPerson)"), "send digital_dpv")

            for messageId in [toOrganisation, toPerson] {
                #expect(try await pair.statusesAtA(messageId, until: "LEVERT") == ["OPPRETTET", "SENDT", "LEVERT"])
                #expect(altinn.markRead(sendersReference: messageId))
                #expect(try await pair.statusesAtA(messageId, until: "LEST") == ["OPPRETTET", "SENDT", "LEVERT", "LEST"])
            }
            let organisationCorrespondence = try #require(altinn.correspondence(sendersReference: toOrganisation))
            #expect(organisationCorrespondence.attachments.map(\.filename) == ["vedlegg.pdf"])
            #expect(organisationCorrespondence.messageTitle == "E2E")
            let personCorrespondence = try #require(altinn.correspondence(sendersReference: toPerson))
            #expect(personCorrespondence.recipient == "urn:altinn:person:identifier-no:\(Self.person)")
            #expect(personCorrespondence.fields["correspondence.ignoreReservation"] == "true")
            let conversation = try await pair.call(pair.a, "GET", "/api/conversations/messageId/\(toOrganisation)")
            #expect(String(decoding: conversation.body, as: UTF8.self).contains(organisationCorrespondence.id),
                    "the correspondence id is the conversation's externalSystemReference")
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)")
        }
        await pair.stop()
    }

    @Test("A 500 on the first upload (Altinn stored it, the answer was lost) still gives one correspondence, followed to LEVERT")
    func serverErrorIsRetried() async throws {
        let pair = try await SandboxPair.start()
        let altinn = try #require(pair.network.service(SandboxAltinnCorrespondence.self))
        altinn.failNextUploads(1, status: 500, detail: "Internal server error", afterStoring: true)
        let messageId = UUID().uuidString.lowercased()
        try await sendArkivmelding(pair, messageId: messageId)
        #expect(try await pair.statusesAtA(messageId, until: "LEVERT") == ["OPPRETTET", "SENDT", "LEVERT"], "\(pair.a.log)")
        #expect(altinn.correspondences.count == 1)
        #expect(altinn.uploadCount == 2, "the retry's 409 was looked up, not uploaded again")
        await pair.stop()
    }

    @Test("A 400 gives FEIL with Altinn's reason and no second upload")
    func clientErrorFails() async throws {
        let pair = try await SandboxPair.start()
        let altinn = try #require(pair.network.service(SandboxAltinnCorrespondence.self))
        altinn.failNextUploads(1, status: 400, detail: "1020: Message title cannot be empty")
        let messageId = UUID().uuidString.lowercased()
        try await sendArkivmelding(pair, messageId: messageId)
        #expect(try await pair.statusesAtA(messageId, until: "FEIL") == ["OPPRETTET", "FEIL"])
        let reply = try await pair.call(pair.a, "GET", "/api/statuses/\(messageId)?size=10")
        #expect(String(decoding: reply.body, as: UTF8.self).contains("1020: Message title cannot be empty"))
        // The sandbox retries after 1 s: wait well past it, and see that nothing was uploaded again.
        try await Task.sleep(for: .seconds(4))
        #expect(altinn.uploadCount == 1)
        #expect(altinn.correspondences.isEmpty)
        await pair.stop()
    }

    @Test("A receipt to a DPV receiver is recorded SENDT, LEVERT, LEST without going to Altinn")
    func receiptIsNotSent() async throws {
        let pair = try await SandboxPair.start()
        let altinn = try #require(pair.network.service(SandboxAltinnCorrespondence.self))
        let messageId = UUID().uuidString.lowercased()
        let receipt = Data("""
        {"standardBusinessDocumentHeader":{"headerVersion":"1.0",
          "sender":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(SandboxPair.senderOrg)"}}],
          "receiver":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(Self.organisation)"}}],
          "documentIdentification":{"standard":"urn:no:difi:arkivmelding:xsd::arkivmelding_kvittering","typeVersion":"2.0",
            "instanceIdentifier":"\(messageId)","type":"arkivmelding_kvittering"},
          "businessScope":{"scope":[{"type":"ConversationId","identifier":"urn:no:difi:profile:arkivmelding:response:ver1.0"}]}},
         "arkivmelding_kvittering":{"receiptType":"OK","relatedToMessageId":"\(UUID().uuidString.lowercased())"}}
        """.utf8)
        try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out", body: receipt,
                                        headers: ["Content-Type": "application/json"]), "create receipt")
        try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out/\(messageId)"), "send receipt")
        #expect(try await pair.statusesAtA(messageId, until: "LEST") == ["OPPRETTET", "SENDT", "LEVERT", "LEST"])
        #expect(altinn.uploadCount == 0)
        await pair.stop()
    }

    @Test("Altinn's health probe unreachable at start-up: the binary starts, health shows DPV DOWN with the reason, and messages still go to the correspondence service")
    func altinnDown() async throws {
        let closed = try IntegrationPointProcess.freePort()
        let pair = try await SandboxPair.start(startA: false)
        let handle = try FileHandle(forWritingTo: try #require(pair.network.organisation(SandboxPair.senderOrg)).propertiesPath)
        handle.seekToEndOfFile()
        handle.write(Data("\ndifi.move.dpv.health-check-url=http://127.0.0.1:\(closed)/health-probe\n".utf8))
        try handle.close()
        try pair.a.start()
        try await pair.a.waitUntilReady(healthStatuses: [503])
        let health = try await pair.call(pair.a, "GET", "/manage/health")
        #expect(health.status == 503)
        let json = try JSONSerialization.jsonObject(with: health.body) as? [String: Any]
        let dpv = (json?["components"] as? [String: Any])?["dpv"] as? [String: Any]
        #expect(dpv?["status"] as? String == "DOWN")
        let error = (dpv?["details"] as? [String: Any])?["error"] as? String ?? ""
        #expect(error.contains("127.0.0.1:\(closed)") && error.contains("difi.move.dpv.health-check-url"), "\(error)")
        #expect((json?["components"] as? [String: Any])?["db"] != nil, "the rest of health is there")
        // The correspondence service itself answers: the message goes out regardless of the probe.
        let messageId = UUID().uuidString.lowercased()
        try await sendArkivmelding(pair, messageId: messageId)
        #expect(try await pair.statusesAtA(messageId, until: "LEVERT") == ["OPPRETTET", "SENDT", "LEVERT"])
        await pair.stop()
    }
}
