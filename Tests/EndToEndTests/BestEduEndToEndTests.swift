import Foundation
import NoarkExchange
import Testing

@Suite("BEST/EDU end to end: A's archive system does PutMessage; B pushes to its archive system", .serialized)
struct BestEduEndToEndTests {
    static let melding = Melding(
        journpost: .init(fields: ["jpInnhold": "Svar på søknad", "jpJpostnr": "4", "jpNdoktype": "U", "jpStatus": "E"],
                         avsmot: [.init(fields: ["amIhtype": "1", "amNavn": "Mottaker"])],
                         dokument: [.init(fields: ["dbTittel": "Svarbrev", "veFilnavn": "svar.pdf",
                                                   "veMimeType": "application/pdf", "dlType": "H"],
                                          fil: Data("%PDF-1.7 svar på søknad".utf8))]),
        noarksak: .init(fields: ["saTittel": "Søknad om tilskudd", "saSaar": "2025", "saSeknr": "17"]))

    /// What A's archive system posts to A's /noarkExchange.
    static func putMessage(conversationId: String) -> Data {
        let envelope = NoarkEnvelope(conversationId: conversationId,
                                     sender: NoarkAddress(orgnr: SandboxPair.senderOrg, ref: "2025/17-4"),
                                     receiver: NoarkAddress(orgnr: SandboxPair.receiverOrg, ref: "2025/3-1"))
        return Data(NoarkSystemType.noarkExchange.putMessageRequest(envelope: envelope, melding: melding).utf8)
    }

    static func bArguments(_ archive: FakeArchiveSystem) -> [String] {
        ["--difi.move.noarkSystem.endpointURL=\(archive.url)", "--difi.move.noarkSystem.type=P360",
         "--difi.move.noarkSystem.username=edu", "--difi.move.noarkSystem.password=edu-pw",
         "--difi.move.queue.retry.initial-delay=300", "--difi.move.queue.retry.multiplier=2"]
    }

    static func send(_ pair: SandboxPair, conversationId: String) async throws {
        let reply = try await pair.call(pair.a, "POST", "/noarkExchange", body: putMessage(conversationId: conversationId),
                                        headers: ["Content-Type": "text/xml; charset=utf-8", "SOAPAction": "\"\""])
        #expect(reply.status == 200)
        let result = try XMLTree.parse(reply.body).child("Body")?.children.first?.child("result")
        #expect(result?.attributes["type"] == "OK", "\(String(decoding: reply.body, as: UTF8.self))")
    }

    @Test("PutMessage at A reaches B's archive system by PutMessage; A's statuses reach LEVERT")
    func putMessageThroughToTheArchive() async throws {
        let archive = FakeArchiveSystem()
        try await archive.start()
        let pair = try await SandboxPair.start(bArguments: Self.bArguments(archive))
        do {
            let wsdl = try await pair.call(pair.a, "GET", "/noarkExchange?wsdl")
            #expect(wsdl.status == 200)
            #expect(try XMLTree.parse(wsdl.body).name == "definitions")

            let conversationId = UUID().uuidString.lowercased()
            try await Self.send(pair, conversationId: conversationId)
            let calls = try await archive.waitForCalls(1)
            let call = try #require(calls.first)
            #expect(call.soapAction == "\"http://www.arkivverket.no/Noark/Exchange/IEDUImport/PutMessage\"")
            #expect(call.authorization == "Basic " + Data("edu:edu-pw".utf8).base64EncodedString())
            #expect(call.envelope.conversationId == conversationId)
            #expect(call.envelope.sender.orgnr == SandboxPair.senderOrg)
            #expect(call.envelope.sender.ref == "2025/17-4")
            #expect(call.envelope.receiver.orgnr == SandboxPair.receiverOrg)
            let melding = try #require(call.melding)
            #expect(melding.journpost["jpInnhold"] == "Svar på søknad")
            #expect(melding.journpost["jpNdoktype"] == "U")
            #expect(melding.noarksak["saSeknr"] == "17")
            #expect(melding.journpost.dokument.map { $0["veFilnavn"] } == ["svar.pdf"])
            #expect(melding.journpost.dokument.first?.fil == Data("%PDF-1.7 svar på søknad".utf8))
            #expect(try await pair.statusesAtA(conversationId) == ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])
            let atB = try await pair.call(pair.b, "GET", "/api/messages/in/peek")
            #expect(atB.status == 204, "delivered to the archive system, not waiting on /api/messages/in")
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)\nB:\n\(pair.b.log)")
        }
        await pair.stop()
        await archive.stop()
    }

    @Test("An archive system that answers ERROR first is retried; B's history shows the failure; A reaches LEVERT")
    func errorThenOKIsRetried() async throws {
        let archive = FakeArchiveSystem(answers: [.error(code: "500", "Arkivdel SAK finnes ikke")])
        try await archive.start()
        let pair = try await SandboxPair.start(bArguments: Self.bArguments(archive))
        do {
            let conversationId = UUID().uuidString.lowercased()
            try await Self.send(pair, conversationId: conversationId)
            #expect(try await pair.statusesAtA(conversationId) == ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])
            #expect(archive.calls.count == 2)
            let reply = try await pair.call(pair.b, "GET", "/api/statuses/\(conversationId)?size=50")
            let content = (try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])?["content"] as? [[String: Any]] ?? []
            #expect(content.compactMap { $0["status"] as? String }
                    == ["OPPRETTET", "INNKOMMENDE_MOTTATT", "ANNET", "INNKOMMENDE_LEVERT"])
            let annet = content.first { $0["status"] as? String == "ANNET" }
            #expect((annet?["description"] as? String)?.contains("Arkivdel SAK finnes ikke") == true)
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)\nB:\n\(pair.b.log)")
        }
        await pair.stop()
        await archive.stop()
    }
}
