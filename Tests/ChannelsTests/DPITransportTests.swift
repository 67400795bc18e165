import _CryptoExtras
import Channels
import Foundation
import Model
import Packaging
import Sandbox
import Synchronization
import Testing
import TestTools

@Suite("DPI: letters to corner 2, statuses and signed receipts")
struct DPITransportTests {
    static let letter = Data("%PDF-1.4 vedtak\n".utf8) + Data((0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/dpi-schemas")

    func withWorld(_ body: (DPITestWorld) async throws -> Void) async throws {
        let world = try await DPITestWorld.start()
        do { try await body(world) } catch { await world.stop(); throw error }
        await world.stop()
    }

    func digitalShipment(_ world: DPITestWorld, avsenderId: String? = nil) throws -> DPIShipment {
        try DPIShipmentFactory().shipment(
            for: DPIMessages.digital(avsenderId: avsenderId),
            files: [try world.file("vedtak.pdf", Self.letter, mimeType: "application/pdf", title: "Vedtak")],
            recipient: try DPIRecipient(digitalPostRecord: world.citizenRecord), now: Date())
    }

    func printShipment(_ world: DPITestWorld) async throws -> DPIShipment {
        let krr = KRRPrintClient(url: world.krrURL, httpClient: .shared)
        return try DPIShipmentFactory().shipment(
            for: DPIMessages.print(), files: [try world.file("brev.pdf", Self.letter, mimeType: "application/pdf", title: "Brev")],
            recipient: DPIRecipient(printProvider: try await krr.printProvider()), now: Date())
    }

    /// Validates a forretningsmelding payload with Python's jsonschema against Digdir's DPI schemas.
    func validateAgainstSchema(_ payload: Data, type: String) throws {
        let script = """
        import json, os, sys
        from jsonschema import Draft7Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT7
        folder = sys.argv[1]
        docs = {f: json.load(open(os.path.join(folder, f))) for f in os.listdir(folder)}
        registry = Registry().with_resources([(d['$id'], Resource.from_contents(d, default_specification=DRAFT7)) for d in docs.values()])
        validator = Draft7Validator(docs['innbyggerpost_dpi_%s_1_0.schema.json' % sys.argv[2]], registry=registry)
        errors = [e.message for e in validator.iter_errors(json.load(sys.stdin))]
        if errors: sys.exit('; '.join(errors))
        """
        try ExternalTool.run("python3", ["-c", script, Self.schemas.path, type], input: payload)
    }

    @Test("a digital letter reaches corner 2 signed with x5c, valid against Digdir's schema, fingerprint and token included; channels go round robin")
    func digitalLetter() async throws {
        try await withWorld { world in
            let transport = try world.transport(channels: ["no.difi.move.integrasjonspunkt-0", "no.difi.move.integrasjonspunkt-1"])
            let first = try await transport.send(try digitalShipment(world), now: Date())
            let second = try await transport.send(try digitalShipment(world), now: Date())
            #expect(first == "no_difi_move_integrasjonspunkt-0")
            #expect(second == "no_difi_move_integrasjonspunkt-1")
            let letters = world.corner2.letters
            #expect(letters.map(\.channel) == [first, second])
            let letter = try #require(letters.first)
            try validateAgainstSchema(letter.payload, type: "digital")
            let digital = letter.businessMessage
            #expect((digital["mottaker"] as? [String: Any])?["postkasseadresse"] as? String == DPITestWorld.mailbox)
            #expect(digital["sikkerhetsnivaa"] as? Int == 4)
            #expect(digital["ikkesensitivtittel"] as? String == "Vedtak om bostøtte")
            #expect(digital["virkningstidspunkt"] as? String == "2026-03-01T00:00:00+01:00")
            #expect(digital["aapningskvittering"] as? Bool == true)
            let varsler = try #require(digital["varsler"] as? [String: Any])
            #expect((varsler["epostvarsel"] as? [String: Any])?["epostadresse"] as? String == "ola@example.no")
            #expect((varsler["smsvarsel"] as? [String: Any])?["repetisjoner"] as? [Int] == [0, 7])
            let fingerprint = try #require(digital["dokumentpakkefingeravtrykk"] as? [String: Any])
            let package = try Data(contentsOf: letter.documentPackage)
            let sha = String(decoding: try ExternalTool.run("openssl", ["dgst", "-sha256", "-binary", letter.documentPackage.path]).base64EncodedData(), as: UTF8.self)
            #expect(fingerprint["digestValue"] as? String == sha)
            #expect(!package.isEmpty)
            // Corner 2 checked that maskinportentoken is the request's bearer token; that token has the DPI scope.
            #expect((digital["maskinportentoken"] as? String)?.isEmpty == false)
            #expect(letter.tokenClaims["scope"] as? String == "digitalpostinnbygger:send")
            #expect(world.corner2.refusals.isEmpty)
        }
    }

    @Test("the document package opens with openssl cms -decrypt and the postbox key; xmlsec1 verifies its XAdES signature")
    func packageOpensWithIndependentTools() async throws {
        try await withWorld { world in
            // A threshold below the package size makes it pass through a temporary file.
            let transport = try world.transport(memoryThreshold: 10_000)
            try await transport.send(try digitalShipment(world), now: Date())
            let letter = try #require(world.corner2.letters.first)
            let scratch = try TemporaryDirectory()
            try world.postbox.privateKey.pemRepresentation.write(toFile: scratch.path("postbox.key"), atomically: true, encoding: .utf8)
            try world.postbox.certificatePEM.write(toFile: scratch.path("postbox.pem"), atomically: true, encoding: .utf8)
            try pem(world.authority.certificateDER).write(toFile: scratch.path("ca.pem"), atomically: true, encoding: .utf8)
            try ExternalTool.run("openssl", ["cms", "-decrypt", "-binary", "-inform", "DER", "-in", letter.documentPackage.path,
                                             "-inkey", scratch.path("postbox.key"), "-recip", scratch.path("postbox.pem"),
                                             "-out", scratch.path("asic.zip")])
            let printed = String(decoding: try ExternalTool.run("openssl", ["cms", "-cmsout", "-print", "-inform", "DER",
                                                                             "-in", letter.documentPackage.path]), as: UTF8.self)
            #expect(printed.contains("rsaesOaep") && printed.contains("aes-256-cbc"))
            try ExternalTool.run("unzip", ["-q", scratch.path("asic.zip"), "-d", scratch.path("x")])
            try FileManager.default.copyItem(atPath: scratch.path("x/META-INF/signatures.xml"), toPath: scratch.path("x/signatures.xml"))
            try ExternalTool.run("xmlsec1", ["--verify", "--trusted-pem", scratch.path("ca.pem"),     "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", "signatures.xml"],
                                 in: scratch.file("x"))
            #expect(try Data(contentsOf: scratch.file("x/vedtak.pdf")) == Self.letter)
            let manifest = String(decoding: try Data(contentsOf: scratch.file("x/manifest.xml")), as: UTF8.self)
            #expect(manifest.contains("<postkasseadresse>\(DPITestWorld.mailbox)</postkasseadresse>"))
            #expect(manifest.contains("<tittel lang=\"NO\">Vedtak</tittel>"))
        }
    }

    @Test("a print letter is encrypted to the print provider from the contact register and carries utskrift")
    func printLetter() async throws {
        try await withWorld { world in
            let transport = try world.transport()
            try await transport.send(try await printShipment(world), now: Date())
            let letter = try #require(world.corner2.letters.first)
            #expect(letter.type == "utskrift")
            #expect(letter.providerOrganisation == DPITestWorld.printOrganisation)
            try validateAgainstSchema(letter.payload, type: "utskrift")
            let utskrift = letter.businessMessage
            #expect(utskrift["utskriftstype"] as? String == "FARGE")
            #expect(utskrift["posttype"] as? String == "A")
            #expect((utskrift["retur"] as? [String: Any])?["returposthaandtering"] as? String == "MAKULERING_MED_MELDING")
            #expect((utskrift["mottaker"] as? [String: Any])?["postnummer"] as? String == "3400")
            let decrypted = try CMS.decrypt(try Data(contentsOf: letter.documentPackage), with: try world.printer.keystoreEntry())
            let manifest = try #require(try AsicReaderEntries.entry("manifest.xml", in: decrypted))
            #expect(!String(decoding: manifest, as: UTF8.self).contains("mottaker"))
        }
    }

    @Test("receipts map to LEVERT and LEST with their own times, and are marked read only after they were handled")
    func receiptsAreAppliedThenRead() async throws {
        try await withWorld { world in
            let transport = try world.transport()
            try await transport.send(try digitalShipment(world), now: Date())
            let conversationId = try #require(world.corner2.letters.first?.conversationId)
            struct StoreDown: Error {}
            let failing = try await transport.receiveReceipts { _ in throw StoreDown() }
            #expect(failing.count == 2)
            #expect(world.corner2.receipts.allSatisfy { !$0.read })
            let handled = Mutex<[DPIReceipt]>([])
            let outcomes = try await transport.receiveReceipts { receipt in handled.withLock { $0.append(receipt) } }
            let receipts = handled.withLock { $0 }
            #expect(outcomes.count == 2)
            #expect(receipts.map(\.status.status) == [.LEVERT, .LEST])
            #expect(receipts.allSatisfy { $0.conversationId == conversationId })
            let letterTime = try #require(world.corner2.letters.first?.receivedAt)
            #expect(abs((receipts.first?.tidspunkt ?? .distantPast).timeIntervalSince(letterTime.addingTimeInterval(1))) < 1)
            #expect(world.corner2.receipts.allSatisfy { $0.read })
            let again = try await transport.receiveReceipts { _ in }
            #expect(again.isEmpty)
        }
    }

    @Test("a receipt with a bad signature or an untrusted certificate is refused, not handed over, and left unread")
    func forgedReceiptsAreRefused() async throws {
        try await withWorld { world in
            let transport = try world.transport()
            world.corner2.forgeNextReceipts(1, as: .badSignature)
            world.corner2.forgeNextReceipts(1, as: .untrustedCertificate)
            try await transport.send(try digitalShipment(world), now: Date())
            let handled = Mutex(0)
            let outcomes = try await transport.receiveReceipts { _ in handled.withLock { $0 += 1 } }
            #expect(handled.withLock { $0 } == 0)
            let reasons = outcomes.compactMap { outcome -> String? in
                if case .refused(let reason) = outcome { return reason }
                return nil
            }
            #expect(reasons.count == 2)
            #expect(reasons[0].contains("does not verify"))
            #expect(reasons[1].contains("not trusted"))
            #expect(world.corner2.receipts.allSatisfy { !$0.read })
        }
    }

    @Test("receipts are polled per channel, with and without avsenderidentifikator as configured")
    func avsenderidentifikator() async throws {
        try await withWorld { world in
            let sending = try world.transport()
            try await sending.send(try digitalShipment(world, avsenderId: "skatt"), now: Date())
            let plain = try world.transport()
            let withoutSender = try await plain.receiveReceipts { _ in }
            #expect(withoutSender.isEmpty)
            let both = try world.transport(avsenderidentifikatorer: ["skatt"])
            let withSender = try await both.receiveReceipts { _ in }
            #expect(withSender.count == 2)
        }
    }

    @Test("corner 2's statuses map OPPRETTET → SENDT and SENDT → MOTTATT with its time")
    func statuses() async throws {
        try await withWorld { world in
            let transport = try world.transport()
            let shipment = try digitalShipment(world)
            try await transport.send(shipment, now: Date())
            let statuses = try await transport.statuses(messageId: shipment.forretningsmelding.messageId)
            #expect(statuses.map(\.meaning.status) == [.SENDT, .MOTTATT])
            #expect(statuses.last?.meaning.at != nil)
            #expect(statuses.first?.meaning.description == "Hjørne 2 har mottatt meldingen")
        }
    }

    @Test("corner 2's 400 is permanent with its reason, a 503 is transient, and a refused letter is not kept")
    func errors() async throws {
        try await withWorld { world in
            let transport = try world.transport()
            world.corner2.failNext(.send, statusCode: 503)
            await #expect { try await transport.send(try digitalShipment(world), now: Date()) } throws: {
                ($0 as? DPIError)?.isTransient == true
            }
            // A letter signed by a certificate the sandbox CA did not issue: corner 2 refuses it, for good.
            let stranger = try SandboxCertificateAuthority(commonName: "Other CA", key: try TestKeys.key("dpi-other-ca", 2048))
                .issueVirksomhetssertifikat(organisationNumber: DPITestWorld.senderOrganisation, organisationName: "Stranger",
                                            key: try TestKeys.key("dpi-stranger", 2048))
            let base = try world.transport()
            let unsigned = DPITransport(client: base.client, packer: DPIMessagePacker(identity: try stranger.keystoreEntry()),
                                        tokens: base.tokens, channels: base.channels, trust: base.trust)
            await #expect { try await unsigned.send(try digitalShipment(world), now: Date()) } throws: { error in
                guard let error = error as? DPIError else { return false }
                return error.status == 400 && !error.isTransient && "\(error)".contains("not trusted")
            }
            let forged = try world.transport(tokens: FixedDPIToken("not-a-token"))
            await #expect { try await forged.send(try digitalShipment(world), now: Date()) } throws: {
                ($0 as? DPIError)?.status == 401
            }
            #expect(world.corner2.letters.isEmpty)
        }
    }

    @Test("the print provider is read from the contact register once per five minutes")
    func printProviderCache() async throws {
        try await withWorld { world in
            let clock = TestClock()
            let krr = KRRPrintClient(url: world.krrURL, httpClient: .shared, now: clock.now)
            let provider = try await krr.printProvider()
            _ = try await krr.printProvider()
            #expect(world.krr.requestCount == 1)
            #expect(provider.organisationNumber == DPITestWorld.printOrganisation)
            #expect(provider.certificateDER == world.printer.certificateDER)
            clock.advance(301)
            world.krr.failNext()
            await #expect { try await krr.printProvider() } throws: { ($0 as? DPIError)?.isTransient == true }
            _ = try await krr.printProvider()
            #expect(world.krr.requestCount == 3)
        }
    }

    @Test("a Maskinporten grant for a send carries consumer_org and the DPI scope")
    func maskinportenConsumerOrg() async throws {
        try await withWorld { world in
            world.maskinporten.update { $0.audience = "sandbox-audience" }
            let client = MaskinportenClient(configuration: .init(tokenURL: world.server.baseURL + "/token", audience: "sandbox-audience",
                                                                 organisationNumber: DPITestWorld.senderOrganisation,
                                                                 keystore: try world.sender.keystoreEntry()),
                                            httpClient: .shared)
            let tokens = MaskinportenDPITokens(client: client)
            let transport = try world.transport(tokens: tokens)
            try await transport.send(try digitalShipment(world), now: Date())
            let grant = try #require(world.maskinporten.receivedGrants.last)
            #expect(grant.claims["consumer_org"] as? String == DPITestWorld.senderOrganisation)
            #expect(grant.claims["scope"] as? String == "digitalpostinnbygger:send")
            #expect(world.corner2.letters.count == 1)
        }
    }
}

/// Reads one entry of a ZIP held in memory.
enum AsicReaderEntries {
    static func entry(_ name: String, in zip: Data) throws -> Data? {
        let scratch = try TemporaryDirectory()
        try zip.write(to: scratch.file("a.zip"))
        return try ExternalTool.run("unzip", ["-p", scratch.path("a.zip"), name])
    }
}

/// A DER certificate as PEM text.
func pem(_ der: Data) -> String {
    "-----BEGIN CERTIFICATE-----\n" + der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        + "\n-----END CERTIFICATE-----\n"
}
