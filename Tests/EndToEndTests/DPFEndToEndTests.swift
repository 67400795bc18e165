import Foundation
import NoarkExchange
import Packaging
import Sandbox
import Testing
import TestTools

/// DPF on the binaries: A sends to the sandbox's DPF-only municipality through KS SvarUt (by SOAP and by REST) and
/// follows it to LEST; B takes forsendelser from its SvarInn mailbox, refuses spoiled ones, and survives a kill
/// between storing a forsendelse and answering SvarInn.
@Suite("DPF end to end", .serialized)
struct DPFEndToEndTests {
    static let municipality = SandboxKSFiks.municipalityNumber

    static func fiks(_ pair: SandboxPair) throws -> SandboxKSFiks {
        try #require(pair.network.service(SandboxKSFiks.self))
    }

    /// Runs `body` on a fresh pair (A with `difi.move.fiks.ut.type=<type>`) and stops it, also when `body` throws.
    static func withPair(utType: String = "ws", _ body: (SandboxPair) async throws -> Void) async throws {
        let pair = try await SandboxPair.start { organisation in
            guard organisation.organisationNumber == SandboxPair.senderOrg else { return }
            let handle = try FileHandle(forWritingTo: organisation.propertiesPath)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("difi.move.fiks.ut.type=\(utType)\n".utf8))
            try handle.close()
        }
        do {
            try await body(pair)
            await pair.stop()
        } catch {
            print("A's log:\n\(pair.a.log.suffix(4000))\nB's log:\n\(pair.b.log.suffix(4000))")
            await pair.stop()
            throw error
        }
    }

    /// Polls `condition` every 200 ms until it holds or `timeout` passes.
    static func waitFor(_ what: String, timeout: TimeInterval = 60, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw E2EError("\(what) did not happen within \(Int(timeout)) s")
    }

    static func parcel(_ tamper: SandboxSvarInnParcel.Tamper = .none, pdf: Data) -> SandboxSvarInnParcel {
        var parcel = SandboxSvarInnParcel(tittel: "Svar fra kommunen", senderOrganisation: municipality,
                                          senderName: SandboxKSFiks.municipalityName,
                                          files: [.init(filename: "svar.pdf", mimetype: "application/pdf", data: pdf),
                                                  .init(filename: "kart.png", mimetype: "image/png", data: Data("PNG-bytes".utf8))],
                                          tamper: tamper)
        parcel.ekstraMetadata = [("gnr", "12"), ("bnr", "34")]
        return parcel
    }

    @Test("a send by ws and by rest reaches LEVERT at once and LEST when the municipality reads it", arguments: ["ws", "rest"])
    func sendsThroughSvarUt(utType: String) async throws {
        try await Self.withPair(utType: utType) { pair in
            let fiks = try Self.fiks(pair)
            let messageId = UUID().uuidString.lowercased()
            let attachment = Data("%PDF-1.4 DPF \(utType) \(messageId)".utf8)
            // The municipality opens it the moment SvarUt has it.
            fiks.svarUt.markRead(whenSent: messageId)
            try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out",
                                            body: SandboxPair.sbd(messageId: messageId, receiver: Self.municipality),
                                            headers: ["Content-Type": "application/json"]), "create")
            try pair.expect(await pair.call(pair.a, "PUT", "/api/messages/out/\(messageId)", body: Data(SandboxPair.arkivmelding.utf8),
                                            headers: ["Content-Type": "application/xml",
                                                      "Content-Disposition": "attachment; name=Arkivmelding; filename=arkivmelding.xml"]), "upload")
            try pair.expect(await pair.call(pair.a, "PUT", "/api/messages/out/\(messageId)", body: attachment,
                                            headers: ["Content-Type": "application/pdf",
                                                      "Content-Disposition": "attachment; name=Vedlegg; filename=vedlegg.pdf"]), "upload")
            try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out/\(messageId)"), "send")

            let statuses = try await pair.statusesAtA(messageId, until: "LEST", timeout: 60)
            #expect(statuses == ["OPPRETTET", "SENDT", "LEVERT", "LEST"])
            let forsendelse = try #require(fiks.svarUt.forsendelse(eksternReferanse: messageId))

            #expect(forsendelse.transport == utType && forsendelse.receiver == Self.municipality)
            #expect(forsendelse.tittel == "E2E" && forsendelse.kryptert && forsendelse.sikkerhetsnivaa == "BETYDELIG")
            #expect(forsendelse.dokumenter.map(\.filnavn) == ["vedlegg.pdf"])
            // The document SvarUt holds opens with the municipality's key, and only with it.
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            try Data(fiks.municipality.privateKey.pemRepresentation.utf8).write(to: scratch.file("key.pem"))
            try Data(fiks.municipality.certificatePEM.utf8).write(to: scratch.file("cert.pem"))
            try ExternalTool.run("openssl", ["cms", "-decrypt", "-inform", "DER", "-in", forsendelse.dokumenter[0].file.path,
                                             "-inkey", scratch.path("key.pem"), "-recip", scratch.path("cert.pem"),
                                             "-out", scratch.path("plain")])
            #expect(try Data(contentsOf: scratch.file("plain")) == attachment)
        }
    }

    @Test("create refuses a DPF message without sikkerhetsnivaa, or with a forsendelse type SvarUt does not know, with 400")
    func createRules() async throws {
        try await Self.withPair { pair in
            let sbd = String(decoding: SandboxPair.sbd(messageId: UUID().uuidString.lowercased(), receiver: Self.municipality), as: UTF8.self)
            let withoutLevel = sbd.replacingOccurrences(of: #""sikkerhetsnivaa":3,"#, with: "")
            #expect(withoutLevel != sbd)
            let missing = try await pair.call(pair.a, "POST", "/api/messages/out", body: Data(withoutLevel.utf8),
                                              headers: ["Content-Type": "application/json"])
            #expect(missing.status == 400)
            #expect(String(decoding: missing.body, as: UTF8.self).contains("arkivmelding.sikkerhetsnivaa"))
            let unknownType = sbd.replacingOccurrences(of: #""sikkerhetsnivaa":3,"#,
                                                       with: #""sikkerhetsnivaa":3,"dpf":{"forsendelseType":"Ukjent"},"#)
            let refused = try await pair.call(pair.a, "POST", "/api/messages/out", body: Data(unknownType.utf8),
                                              headers: ["Content-Type": "application/json"])
            let text = String(decoding: refused.body, as: UTF8.self)
            #expect(refused.status == 400 && text.contains("Found forsendelseType Ukjent, but valid types are [arkivmelding"), "\(text)")
        }
    }

    @Test("a SvarInn forsendelse is peeked, popped and deleted with its files and metadata; SvarInn is answered")
    func receivesFromSvarInn() async throws {
        try await Self.withPair { pair in
            let fiks = try Self.fiks(pair)
            let pdf = Data("%PDF-1.4 svar \(UUID())".utf8)
            let id = try fiks.svarInn.post(Self.parcel(pdf: pdf), to: SandboxPair.receiverOrg)
            let taken = try await pair.takeAtB(count: 1, timeout: 60)
            let (messageId, container) = try #require(taken.first)
            #expect(messageId == id)
            let reader = try AsicReader(data: container)
            #expect(try reader.verify().unsignedDocuments.isEmpty)
            #expect(try reader.data("svar.pdf") == pdf)
            #expect(try reader.data("kart.png") == Data("PNG-bytes".utf8))
            let arkivmelding = try XMLTree.parse(try reader.data("arkivmelding.xml"))
            #expect(arkivmelding.descendant("offentligTittel")?.text == "Svar fra kommunen")
            #expect(arkivmelding.descendant("korrespondansepartNavn")?.text == SandboxKSFiks.municipalityName)
            #expect(arkivmelding.descendant("journalpostnummer")?.text == "7")
            #expect(arkivmelding.descendant("virksomhetsspesifikkeMetadata")?.value("gnr") == "12")
            try await Self.waitFor("kvitterMottak") { fiks.svarInn.answer(for: id) == .kvittert }
            let statuses = try await pair.call(pair.b, "GET", "/api/statuses/\(id)?size=50")
            let content = (try JSONSerialization.jsonObject(with: statuses.body) as? [String: Any])?["content"] as? [[String: Any]]
            #expect(content?.compactMap { $0["status"] as? String } == ["OPPRETTET", "INNKOMMENDE_MOTTATT", "INNKOMMENDE_LEVERT"])
        }
    }

    @Test("an altered file and a zip bomb are refused with mottakFeilet, and nothing is offered")
    func refusesSpoiledForsendelser() async throws {
        try await Self.withPair { pair in
            let fiks = try Self.fiks(pair)
            let altered = try fiks.svarInn.post(Self.parcel(.alterFile("svar.pdf"), pdf: Data("%PDF-1.4 endret".utf8)),
                                                to: SandboxPair.receiverOrg)
            let bomb = try fiks.svarInn.post(Self.parcel(.zipBomb(expandsTo: 64 << 20), pdf: Data("%PDF-1.4 bombe".utf8)),
                                             to: SandboxPair.receiverOrg)
            try await Self.waitFor("mottakFeilet for both") {
                if case .feilet = fiks.svarInn.answer(for: altered), case .feilet = fiks.svarInn.answer(for: bomb) { return true }
                return false
            }
            guard case .feilet(let alteredReason, let permanent)? = fiks.svarInn.answer(for: altered),
                  case .feilet(let bombReason, _)? = fiks.svarInn.answer(for: bomb) else { return }
            #expect(permanent && alteredReason.contains("SHA-256"))
            #expect(bombReason.contains("svar.pdf"))
            #expect(try await pair.call(pair.b, "GET", "/api/messages/in/peek").status == 204)
        }
    }

    @Test("SIGKILL after storing a forsendelse and before kvitterMottak: one message after the restart")
    func killBetweenStoreAndAnswer() async throws {
        try await Self.withPair { pair in
            let fiks = try Self.fiks(pair)
            fiks.svarInn.failNext(.kvitterMottak, count: 1_000_000)
            let pdf = Data("%PDF-1.4 krasj \(UUID())".utf8)
            let id = try fiks.svarInn.post(Self.parcel(pdf: pdf), to: SandboxPair.receiverOrg)
            try await Self.waitFor("B has stored the forsendelse") {
                let reply = try await pair.call(pair.b, "GET", "/api/statuses/\(id)?size=50")
                return String(decoding: reply.body, as: UTF8.self).contains("INNKOMMENDE_MOTTATT")
            }
            #expect(fiks.svarInn.answer(for: id) == .waiting)
            pair.b.kill(signal: SIGKILL)
            _ = try await pair.b.waitForExit()
            fiks.svarInn.failNext(.kvitterMottak, count: 0)
            try pair.b.start()
            try await pair.b.waitUntilReady(timeout: 60)
            try await Self.waitFor("kvitterMottak after the restart") { fiks.svarInn.answer(for: id) == .kvittert }
            #expect((fiks.svarInn.posted.first { $0.id == id }?.downloads ?? 0) >= 2)

            let taken = try await pair.takeAtB(count: 2, timeout: 10)
            #expect(taken.map(\.messageId) == [id])
            #expect(try AsicReader(data: try #require(taken.first).container).data("svar.pdf") == pdf)
            let conversations = try await pair.call(pair.b, "GET", "/api/conversations?messageId=\(id)")
            let list = (try JSONSerialization.jsonObject(with: conversations.body) as? [String: Any])?["content"] as? [Any]
            #expect(list?.count == 1)
        }
    }
}
