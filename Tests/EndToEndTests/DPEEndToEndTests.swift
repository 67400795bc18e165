import Foundation
import Packaging
import Sandbox
import Testing
import TestTools

@Suite("DPE end to end: integration point binaries and eInnsyn over the sandbox Service Bus", .serialized)
struct DPEEndToEndTests {
    static let agency = SandboxPair.senderOrg

    static func dpe(_ pair: SandboxPair) throws -> SandboxDPE {
        try #require(pair.network.service(SandboxDPE.self))
    }

    /// Waits until `condition` holds, or fails with `what`.
    static func eventually(_ what: String, timeout: TimeInterval = 60, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw E2EError("\(what) did not happen within \(Int(timeout)) s")
    }

    /// The doctor's table with its line wrapping undone.
    static func flattened(_ table: String) -> String {
        table.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A's archive system: peek for `messageId`, pop, delete; answers the peeked SBD and the popped body (nil on 204).
    static func take(_ messageId: String, at pair: SandboxPair, node: IntegrationPointProcess? = nil) async throws -> (sbd: [String: Any], container: Data?) {
        let a = node ?? pair.a
        var peeked: [String: Any] = [:]
        try await eventually("\(messageId) offered at A") {
            let peek = try await pair.call(a, "GET", "/api/messages/in/peek?messageId=\(messageId)")
            guard peek.status == 200 else { return false }
            peeked = try JSONSerialization.jsonObject(with: peek.body) as? [String: Any] ?? [:]
            return true
        }
        let pop = try await pair.call(a, "GET", "/api/messages/in/pop/\(messageId)")
        #expect(pop.status == 200 || pop.status == 204, "pop answered \(pop.status)")
        try pair.expect(await pair.call(a, "DELETE", "/api/messages/in/\(messageId)"), "delete")
        return (peeked, pop.status == 200 ? pop.body : nil)
    }

    static func statuses(at dpe: SandboxDPE, of messageId: String) -> [String] {
        dpe.einnsyn.messages.compactMap { received -> String? in
            guard received.sbd.messageId == messageId, case .status(let status) = received.sbd.businessMessage else { return nil }
            return status.status
        }
    }

    /// An SBD from A to eInnsyn.
    static func sbd(_ messageId: String, type: String, standard: String, process: String, conversationId: String = UUID().uuidString.lowercased(),
                    to receiver: String, message: String) -> Data {
        Data("""
        {"standardBusinessDocumentHeader":{"headerVersion":"1.0",
          "sender":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(agency)"}}],
          "receiver":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(receiver)"}}],
          "documentIdentification":{"standard":"\(standard)","typeVersion":"2.0","instanceIdentifier":"\(messageId)","type":"\(type)"},
          "businessScope":{"scope":[{"type":"ConversationId","instanceIdentifier":"\(conversationId)","identifier":"\(process)"}]}},
         "\(type)":\(message)}
        """.utf8)
    }

    @Test("eInnsyn's innsynskrav reaches A's archive system with its order; eInnsyn gets MOTTATT and LEVERT, then A's einnsyn_kvittering without files")
    func innsynskravAndKvittering() async throws {
        let pair = try await SandboxPair.start()
        do {
            let dpe = try Self.dpe(pair)
            let order = try dpe.einnsyn.sendInnsynskrav(to: Self.agency)
            let taken = try await Self.take(order, at: pair)
            let identification = (taken.sbd["standardBusinessDocumentHeader"] as? [String: Any])?["documentIdentification"] as? [String: Any]
            #expect(identification?["type"] as? String == "innsynskrav")
            #expect(taken.sbd["innsynskrav"] != nil)
            let container = try #require(taken.container, "the innsynskrav comes with its order")
            let reader = try AsicReader(data: container)
            #expect(try reader.verify().signer == dpe.einnsyn.identity.certificate)
            #expect(try reader.data("order.xml") == SandboxEInnsyn.demoOrder)
            // Completed on the bus once stored, so a moment after it can be taken at A.
            try await Self.eventually("completed on the bus") { dpe.bus.messages(in: "nextbestqueue\(Self.agency)innsyn").isEmpty }
            try await Self.eventually("MOTTATT and LEVERT at eInnsyn") { Self.statuses(at: dpe, of: order) == ["MOTTATT", "LEVERT"] }
            #expect(dpe.einnsyn.messages.filter { $0.sbd.messageId == order }.allSatisfy { $0.queue == "nextbestqueue\(dpe.einnsyn.organisationNumber)data" },
                    "an agency in innsyn mode sends its statuses to eInnsyn's data queue")

            let receipt = UUID().uuidString.lowercased()
            try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out", body: Self.sbd(
                receipt, type: "einnsyn_kvittering", standard: SandboxEInnsynRecords.kvitteringType, process: SandboxEInnsynRecords.responseProcess,
                to: dpe.einnsyn.organisationNumber,
                message: #"{"dokumentId":"\#(order)","status":"{\"status\":\"OK\"}","referanseType":"innsynskrav"}"#),
                headers: ["Content-Type": "application/json"]), "create einnsyn_kvittering")
            try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out/\(receipt)"), "send einnsyn_kvittering")
            try await pair.expectStatusesAtA(receipt, ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])
            let arrived = try #require(dpe.einnsyn.messages.first { $0.sbd.messageId == receipt })
            #expect(arrived.queue == "nextbestqueue\(dpe.einnsyn.organisationNumber)data", "a receipt on an innsynskrav goes to the data queue")
            #expect(arrived.cms == nil)
            #expect(arrived.problem == nil)
            guard case .einnsynKvittering(let kvittering) = arrived.sbd.businessMessage else {
                Issue.record("eInnsyn got \(arrived.sbd.messageType), not an einnsyn_kvittering")
                return await pair.stop()
            }
            #expect(kvittering.dokumentId == order)
            #expect(kvittering.referanseType == "innsynskrav")
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)")
        }
        await pair.stop()
    }

    @Test("A's publisering with files reaches eInnsyn encrypted with PKCS#1 v1.5 (openssl decrypts it); eInnsyn's einnsyn_kvittering comes back to A")
    func publiseringAndKvittering() async throws {
        let pair = try await SandboxPair.start()
        let scratch = try TemporaryDirectory()
        do {
            let dpe = try Self.dpe(pair)
            let messageId = UUID().uuidString.lowercased()
            let journalpost = Data(#"{"@context":"https://www.arkivverket.no/standarder/noark5/arkivstruktur","tittel":"Sandkassepost"}"#.utf8)
            try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out", body: Self.sbd(
                messageId, type: "publisering", standard: SandboxEInnsynRecords.publiseringType, process: SandboxEInnsynRecords.journalpostProcess,
                to: dpe.einnsyn.organisationNumber, message: #"{"orgnr":"\#(Self.agency)","hoveddokument":"journalpost.json"}"#),
                headers: ["Content-Type": "application/json"]), "create publisering")
            try pair.expect(await pair.call(pair.a, "PUT", "/api/messages/out/\(messageId)", body: journalpost,
                                            headers: ["Content-Type": "application/json",
                                                      "Content-Disposition": "attachment; name=Journalpost; filename=journalpost.json"]), "upload")
            // DPE takes 2 MB of files in all (difi.move.nextmove.serviceBus.upload-size-limit).
            let tooLarge = try await pair.call(pair.a, "PUT", "/api/messages/out/\(messageId)", body: Data(count: 2 << 20),
                                               headers: ["Content-Type": "application/pdf",
                                                         "Content-Disposition": "attachment; name=Vedlegg; filename=vedlegg.pdf"])
            #expect(tooLarge.status == 400)
            #expect(String(decoding: tooLarge.body, as: UTF8.self).contains("exceeds the maximum allowed upload size for the target service (DPE, 2MB)"))
            try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out/\(messageId)"), "send")
            try await pair.expectStatusesAtA(messageId, ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])

            let arrived = try #require(dpe.einnsyn.messages.first { $0.sbd.messageId == messageId })
            #expect(arrived.problem == nil, "\(arrived.problem ?? "")")
            #expect(arrived.queue == "nextbestqueue\(dpe.einnsyn.organisationNumber)data", "the endpointUrl of eInnsyn's record")
            #expect(arrived.files["journalpost.json"] == journalpost)
            #expect(arrived.files["manifest.xml"] != nil)
            #expect(arrived.files["vedlegg.pdf"] == nil, "the refused upload left nothing behind")
            let cms = try #require(arrived.cms)
            try cms.write(to: scratch.file("asic.cms"))
            let printed = String(decoding: try ExternalTool.run("openssl", ["cms", "-cmsout", "-print", "-inform", "DER", "-in", scratch.path("asic.cms")]), as: UTF8.self)
            #expect(printed.contains("rsaEncryption"))
            #expect(!printed.contains("rsaesOaep"))
            try Data(dpe.einnsyn.identity.privateKey.pemRepresentation.utf8).write(to: scratch.file("key.pem"))
            try ExternalTool.run("openssl", ["cms", "-decrypt", "-inform", "DER", "-in", scratch.path("asic.cms"), "-inkey", scratch.path("key.pem"),
                                             "-out", scratch.path("asic.zip")])
            #expect(try AsicReader(url: scratch.file("asic.zip")).data("journalpost.json") == journalpost)

            // eInnsyn's receipt on a publisering goes to A's innsyn queue; A offers it without a container.
            var offered: String?
            try await Self.eventually("the einnsyn_kvittering offered at A") {
                let peek = try await pair.call(pair.a, "GET", "/api/messages/in/peek?process=\(SandboxEInnsynRecords.responseProcess)")
                guard peek.status == 200, let json = try JSONSerialization.jsonObject(with: peek.body) as? [String: Any],
                      let kvittering = json["einnsyn_kvittering"] as? [String: Any] else { return false }
                #expect(kvittering["dokumentId"] as? String == messageId)
                #expect(kvittering["referanseType"] as? String == "publisering")
                let header = json["standardBusinessDocumentHeader"] as? [String: Any]
                offered = (header?["documentIdentification"] as? [String: Any])?["instanceIdentifier"] as? String
                return true
            }
            let receipt = try #require(offered)
            let pop = try await pair.call(pair.a, "GET", "/api/messages/in/pop/\(receipt)")
            #expect(pop.status == 204, "a receipt has no container")
            try pair.expect(await pair.call(pair.a, "DELETE", "/api/messages/in/\(receipt)"), "delete receipt")
            try await Self.eventually("MOTTATT and LEVERT for the receipt at eInnsyn") { Self.statuses(at: dpe, of: receipt) == ["MOTTATT", "LEVERT"] }
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)")
        }
        scratch.remove()
        await pair.stop()
    }

    @Test("an expired innsynskrav and a body that is no DPE payload are completed on the bus and never offered")
    func expiredAndUnreadable() async throws {
        let pair = try await SandboxPair.start()
        do {
            let dpe = try Self.dpe(pair)
            let inbox = "nextbestqueue\(Self.agency)innsyn"
            let expired = try dpe.einnsyn.sendInnsynskrav(to: Self.agency, expectedResponse: Date().addingTimeInterval(-3600))
            dpe.bus.enqueue(Data("<Melding>old format</Melding>".utf8), in: inbox)
            try await Self.eventually("both completed on the bus") { dpe.bus.completedCount(in: inbox) == 2 }
            #expect(dpe.bus.messages(in: inbox).isEmpty)
            #expect(try await pair.call(pair.a, "GET", "/api/messages/in/peek").status == 204, "nothing offered")
            try await pair.expectStatusesAtA(expired, until: "LEVETID_UTLOPT", ["OPPRETTET", "LEVETID_UTLOPT"])
            // The poller logs a round's refusals once the round is over, after completing them on the bus.
            try await Self.eventually("the reasons in A's log") {
                let log = pair.a.log
                return log.contains("DPE message not offered") && log.contains("not a DPE payload")
                    && log.contains("past its time to live")
            }
            #expect(Self.statuses(at: dpe, of: expired).isEmpty, "no MOTTATT for a message not received")
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)")
        }
        await pair.stop()
    }

    @Test("a wrong Service Bus key is DOWN in /manage/health and a failure in doctor, both naming the keys to check; the right key heals it")
    func wrongKey() async throws {
        let pair = try await SandboxPair.start()
        do {
            let dpe = try Self.dpe(pair)
            let old = dpe.bus.key
            dpe.bus.rotateKey()
            // The registry still hands out the old key: after the 401 A fetches it again and is refused again.
            dpe.sasToken.handOut(old)
            var health: [String: Any] = [:]
            try await Self.eventually("dpe DOWN in /manage/health") {
                let reply = try await HTTP.get("http://127.0.0.1:\(pair.a.port)/manage/health", user: pair.credentials(pair.a).0,
                                               password: pair.credentials(pair.a).1)
                health = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any] ?? [:]
                let component = (health["components"] as? [String: Any])?["dpe"] as? [String: Any]
                return reply.status == 503 && component?["status"] as? String == "DOWN"
            }
            let details = ((health["components"] as? [String: Any])?["dpe"] as? [String: Any])?["details"] as? [String: Any]
            let error = details?["error"] as? String ?? ""
            #expect(error.contains("HTTP 401"))
            #expect(error.contains("difi.move.nextmove.serviceBus.sasKeyName"))

            let (code, table) = try IntegrationPointProcess.run(["doctor"], in: pair.a.folder)
            #expect(code == 1)
            let output = Self.flattened(table)
            #expect(output.contains("channel DPE FAIL Service Bus"), "\(table)")
            #expect(output.contains("refused the key from the service registry's /sastoken (key name MoveDPE-pilotPolicy)"), "\(table)")
            #expect(output.contains("Check difi.move.nextmove.serviceBus.sasKeyName"), "\(table)")

            dpe.sasToken.handOut(nil)
            try await Self.eventually("dpe UP again once the registry hands out the right key") {
                try await HTTP.get("http://127.0.0.1:\(pair.a.port)/manage/health").status == 200
            }
            let (_, report) = try IntegrationPointProcess.run(["doctor"], in: pair.a.folder)
            #expect(Self.flattened(report).contains("channel DPE OK Service Bus"), "\(report)")
            #expect(Self.flattened(report).contains("accepts the key from the service registry's /sastoken"), "\(report)")
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)")
        }
        await pair.stop()
    }

    @Test("SIGKILL between storing a message and completing it on the bus: after the restart there is exactly one message")
    func killBetweenStoreAndComplete() async throws {
        let pair = try await SandboxPair.start(services: [SandboxDPE.factory(.init(lockDuration: 3, pollingRateMilliseconds: 300))])
        do {
            let dpe = try Self.dpe(pair)
            let inbox = "nextbestqueue\(Self.agency)innsyn"
            dpe.bus.holdNext(.complete, seconds: 60)
            let order = try dpe.einnsyn.sendInnsynskrav(to: Self.agency)
            try await Self.eventually("A stored the innsynskrav and asks to complete it") { dpe.bus.heldRequestCount == 1 }
            pair.a.kill(signal: SIGKILL)
            _ = try await pair.a.waitForExit()
            dpe.bus.releaseHeldRequests()
            #expect(dpe.bus.messages(in: inbox).count == 1, "not completed: the bus will hand it out again")

            try pair.a.start()
            try await pair.a.waitUntilReady()
            try await Self.eventually("completed after the restart") { dpe.bus.completedCount(in: inbox) == 1 }
            let taken = try await Self.take(order, at: pair)
            #expect(taken.container != nil)
            #expect(try await pair.call(pair.a, "GET", "/api/messages/in/peek").status == 204, "exactly one message")
            let statuses = try await pair.statusesAtA(order, until: "INNKOMMENDE_LEVERT")
            #expect(statuses == ["OPPRETTET", "INNKOMMENDE_MOTTATT", "INNKOMMENDE_LEVERT"])
            #expect(pair.a.log.contains("already received"), "the redelivered copy was recognised by messageId")
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)")
        }
        await pair.stop()
    }
}
