import Foundation
import Sandbox
import Testing

/// DPI on the binaries: integration point A sends letters to the sandbox's citizens through its corner 2, which
/// answers with receipts signed by its meldingsformidler certificate.
@Suite("DPI end to end: letters to citizens through the sandbox corner 2", .serialized)
struct DPIEndToEndTests {
    static let withMailbox = SandboxDigitalPost.citizenWithMailbox
    static let onPaper = SandboxDigitalPost.citizenWithoutMailbox
    static let process = SandboxDigitalPost.processes[0]

    static func sbd(_ messageId: String, type: String, receiver: String?, businessMessage: String) -> Data {
        let standard = type == "print" ? SandboxDigitalPost.printDocumentType : SandboxDigitalPost.digitalDocumentType
        let receiverJSON = receiver.map { #""receiver":[{"identifier":{"authority":"iso6523-actorid-upis","value":"\#($0)"}}],"# } ?? ""
        return Data("""
        {"standardBusinessDocumentHeader":{"headerVersion":"1.0",
          "sender":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(SandboxPair.senderOrg)"}}],
          \(receiverJSON)
          "documentIdentification":{"standard":"\(standard)","typeVersion":"1.0","instanceIdentifier":"\(messageId)","type":"\(type)"},
          "businessScope":{"scope":[{"type":"ConversationId","identifier":"\(process)"}]}},
         "\(type)":\(businessMessage)}
        """.utf8)
    }

    static let digital = #"{"sikkerhetsnivaa":4,"hoveddokument":"vedtak.pdf","tittel":"Vedtak om bostøtte","spraak":"NO","digitalPostInfo":{"aapningskvittering":true},"varsler":{"epostTekst":"Du har fått post"}}"#
    static let print = #"{"hoveddokument":"vedtak.pdf","utskriftsfarge":"FARGE"}"#

    /// Create, upload the PDF, send, at A.
    static func send(_ pair: SandboxPair, _ messageId: String, type: String, receiver: String?, businessMessage: String) async throws {
        try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out",
                                        body: sbd(messageId, type: type, receiver: receiver, businessMessage: businessMessage),
                                        headers: ["Content-Type": "application/json"]), "create \(type)")
        try pair.expect(await pair.call(pair.a, "PUT", "/api/messages/out/\(messageId)", body: Data("%PDF-1.4 vedtak".utf8),
                                        headers: ["Content-Type": "application/pdf",
                                                  "Content-Disposition": "attachment; name=\"Vedtak\"; filename=\"vedtak.pdf\""]), "upload")
        try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out/\(messageId)"), "send \(type)")
    }

    static func json(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// A's status rows of `messageId`, waiting until `last` is there.
    static func statuses(_ pair: SandboxPair, _ messageId: String, until last: String) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(60)
        var rows: [[String: Any]] = []
        while Date() < deadline {
            rows = json(try await pair.call(pair.a, "GET", "/api/statuses/\(messageId)?size=50").body)["content"] as? [[String: Any]] ?? []
            if rows.contains(where: { $0["status"] as? String == last }) { return rows }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw E2EError("\(last) did not appear for \(messageId); statuses: \(rows)")
    }

    /// Whether `condition` holds within 60 s (checked every 100 ms; beside the whole suite on two cores it may take a while).
    static func eventually(_ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }

    func withPair(_ body: (SandboxPair, SandboxDigitalPost) async throws -> Void) async throws {
        let pair = try await SandboxPair.start()
        do {
            let dpi = try #require(pair.network.service(SandboxDigitalPost.self))
            try await body(pair, dpi)
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)")
        }
        await pair.stop()
    }

    @Test("a digital and a print letter reach LEVERT and LEST from signed receipts; print takes the registry's addresses")
    func digitalAndPrint() async throws {
        try await withPair { pair, dpi in
            let digital = UUID().uuidString.lowercased()
            try await Self.send(pair, digital, type: "digital", receiver: Self.withMailbox, businessMessage: Self.digital)
            let rows = try await Self.statuses(pair, digital, until: "LEST")
            #expect(rows.compactMap { $0["status"] as? String } == ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT", "LEST"])
            let levert = try #require(rows.first { $0["status"] as? String == "LEVERT" })
            #expect((levert["description"] as? String)?.contains("tilgjengeliggjort") == true)
            let letter = try #require(dpi.corner2.letters.first { $0.messageId == digital })
            #expect(letter.type == "digital")
            #expect((letter.businessMessage["mottaker"] as? [String: Any])?["postkasseadresse"] as? String == SandboxDigitalPost.mailbox)

            let print = UUID().uuidString.lowercased()
            try await Self.send(pair, print, type: "print", receiver: Self.onPaper, businessMessage: Self.print)
            let printRows = try await Self.statuses(pair, print, until: "LEST")
            #expect(printRows.compactMap { $0["status"] as? String } == ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT", "LEST"])
            let utskrift = try #require(dpi.corner2.letters.first { $0.messageId == print }).businessMessage
            let mottaker = try #require(utskrift["mottaker"] as? [String: Any])
            #expect(mottaker["navn"] as? String == "Kari Nordmann")
            #expect(mottaker["adresselinje1"] as? String == "Storgata 2")
            #expect(mottaker["postnummer"] as? String == "9008")
            #expect(utskrift["utskriftstype"] as? String == "FARGE")
            #expect(((utskrift["retur"] as? [String: Any])?["mottaker"] as? [String: Any])?["navn"] as? String == "Sandbox Avsender")
            // A receipt is marked read only after its status is stored, so just after LEST shows it may not be yet.
            #expect(await Self.eventually { dpi.corner2.receipts.allSatisfy { $0.read } })
        }
    }

    @Test("a receipt with a bad signature is refused and logged, not applied, and left unread at corner 2")
    func forgedReceipt() async throws {
        try await withPair { pair, dpi in
            dpi.corner2.forgeNextReceipts(1, as: .badSignature)  // the leveringskvittering
            let messageId = UUID().uuidString.lowercased()
            try await Self.send(pair, messageId, type: "digital", receiver: Self.withMailbox, businessMessage: Self.digital)
            let statuses = try await Self.statuses(pair, messageId, until: "LEST").compactMap { $0["status"] as? String }
            #expect(!statuses.contains("LEVERT"))
            #expect(statuses.contains("LEST"))
            #expect(pair.a.log.contains("DPI receipt refused"))
            #expect(pair.a.log.contains("does not verify"))
            #expect(await Self.eventually { dpi.corner2.receipts.filter { !$0.read }.count == 1 })
        }
    }

    @Test("invalid letters are refused at create with the upstream error and a text that says what to add; nothing is stored")
    func refusedAtCreate() async throws {
        try await withPair { pair, _ in
            let cases: [(String, String?, String, String)] = [
                ("print", nil, #"{"hoveddokument":"vedtak.pdf"}"#, "[mottaker]"),
                ("print", nil, #"{"hoveddokument":"vedtak.pdf","mottaker":{"navn":"Ola","adresselinje1":"Gata 1","poststed":"OSLO"}}"#,
                 "[mottaker.postnummer/poststed/adresselinje1]"),
                ("print", nil, #"{"hoveddokument":"vedtak.pdf","mottaker":{"navn":"Ola","adresselinje1":"Gata 1","postnummer":"0150","poststed":"OSLO"}}"#,
                 "[retur]"),
            ]
            for (type, receiver, message, expected) in cases {
                let messageId = UUID().uuidString.lowercased()
                let reply = try await pair.call(pair.a, "POST", "/api/messages/out",
                                                body: Self.sbd(messageId, type: type, receiver: receiver, businessMessage: message),
                                                headers: ["Content-Type": "application/json"])
                let body = Self.json(reply.body)
                #expect(reply.status == 400)
                #expect(body["message"] as? String == "--no.difi.meldingsutveksling.exceptions.MissingAddressInformationException-- \(expected)")
                #expect((body["description"] as? String)?.contains("print.") == true)
                #expect(try await pair.call(pair.a, "GET", "/api/messages/out/\(messageId)").status == 404)
            }
            let digital = UUID().uuidString.lowercased()
            let reply = try await pair.call(pair.a, "POST", "/api/messages/out",
                                            body: Self.sbd(digital, type: "digital", receiver: Self.onPaper, businessMessage: Self.digital),
                                            headers: ["Content-Type": "application/json"])
            #expect(reply.status == 400)
            #expect(Self.json(reply.body)["message"] as? String == "Receiver do not accept the document process \(Self.process)")
            #expect(try await pair.call(pair.a, "GET", "/api/messages/out/\(digital)").status == 404)
        }
    }

    @Test("the capabilities of a citizen with digital post carry the mailbox and the addresses, as the upstream shows them")
    func capabilities() async throws {
        try await withPair { pair, _ in
            let reply = try await pair.call(pair.a, "GET", "/api/capabilities/\(Self.withMailbox)?process=\(Self.process)")
            #expect(reply.status == 200)
            let returnAddress: [String: Any] = ["name": "Sandbox Avsender", "street": "Postboks 1", "postalCode": "0101",
                                                "postalArea": "OSLO", "country": "NORGE"]
            let expected: [String: Any] = ["capabilities": [[
                "process": Self.process, "serviceIdentifier": "DPI",
                "postAddress": ["name": "Ola Nordmann", "street": "Fjellveien 1;Oppgang B", "postalCode": "3400",
                                "postalArea": "FJELLET", "country": "NORGE"],
                "returnAddress": returnAddress,
                "documentTypes": [["type": "digital", "standard": SandboxDigitalPost.digitalDocumentType],
                                  ["type": "print", "standard": SandboxDigitalPost.printDocumentType]],
                "digitalPostAddress": ["supplier": SandboxDigitalPost.postboxOrganisation, "address": SandboxDigitalPost.mailbox],
            ]]]
            #expect(NSDictionary(dictionary: Self.json(reply.body)) == NSDictionary(dictionary: expected))
            // The upstream's field order: process, serviceIdentifier, postAddress, returnAddress, documentTypes, digitalPostAddress.
            let text = String(decoding: reply.body, as: UTF8.self)
            let order = ["\"process\"", "\"serviceIdentifier\"", "\"postAddress\"", "\"returnAddress\"", "\"documentTypes\"",
                         "\"digitalPostAddress\""].compactMap { text.range(of: $0)?.lowerBound }
            #expect(order.count == 6 && order == order.sorted())
            let paper = Self.json(try await pair.call(pair.a, "GET", "/api/capabilities/\(Self.onPaper)?process=\(Self.process)").body)
            let paperCapability = try #require((paper["capabilities"] as? [[String: Any]])?.first)
            #expect(NSDictionary(dictionary: paperCapability["digitalPostAddress"] as? [String: Any] ?? ["x": 1]) == NSDictionary())
            #expect((paperCapability["postAddress"] as? [String: Any])?["name"] as? String == "Kari Nordmann")
        }
    }
}
