import AsyncHTTPClient
import Channels
import Crypto
import Foundation
import Hummingbird
import Logging
import Model
import Packaging
import Sandbox
import Testing
import TestTools

/// The sandbox SvarUt on loopback with one SOAP avsender and one REST account for 910077473, and a municipality
/// (910075918) whose certificate the documents are encrypted to.
struct SvarUtBench {
    let scratch: Scratch
    let server: SandboxHTTPServer
    let svarUt: SandboxSvarUt
    let municipality: SandboxIdentity
    let token: String

    static let kontoId = "6b2f2c55-7a0a-4b8e-9d3f-1c2b3a4d5e6f"
    static let integrasjonId = "0e5b9c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b"

    static func start() async throws -> SvarUtBench {
        let scratch = try Scratch()
        let authority = try SandboxCertificateAuthority(key: try TestKeys.key("svarut-ca", 2048))
        let municipality = try authority.issueVirksomhetssertifikat(organisationNumber: "910075918", organisationName: "Kommune B",
                                                                    key: try TestKeys.key("svarut-municipality", 2048))
        let signer = SandboxTokenSigner(keyID: "maskinporten", key: try TestKeys.key("svarut-maskinporten", 2048))
        let svarUt = try SandboxSvarUt(storageDirectory: scratch.file("svarut"), tokenSigner: signer)
        svarUt.addSOAPAccount(username: "avsender", password: "hemmelig", organisation: "910077473")
        svarUt.addRESTAccount(kontoId: kontoId, integrasjonId: integrasjonId, integrasjonPassord: "integrasjon-pw",
                              organisation: "910077473")
        let router = Router()
        svarUt.addRoutes(to: router)
        var logger = Logger(label: "svarut-test")
        logger.logLevel = .warning
        let server = try await SandboxHTTPServer.start(router: router, name: "SvarUt", logger: logger)
        let now = Int(Date().timeIntervalSince1970)
        let token = try signer.signJWT(claims: ["scope": "ks:fiks", "iat": now, "exp": now + 600])
        return SvarUtBench(scratch: scratch, server: server, svarUt: svarUt, municipality: municipality, token: token)
    }

    func stop() async {
        await server.stop()
        scratch.remove()
    }

    /// Runs `body` on a fresh bench and stops it, also when `body` throws.
    static func with(_ body: (SvarUtBench) async throws -> Void) async throws {
        let bench = try await start()
        do {
            try await body(bench)
            await bench.stop()
        } catch {
            await bench.stop()
            throw error
        }
    }

    var soap: SvarUtSOAPClient {
        SvarUtSOAPClient(endpointURL: server.baseURL + SandboxSvarUt.soapPath,
                         credentials: FiksCredentialDirectory(organisationNumber: "910077473",
                                                              own: FiksCredentials(username: "avsender", password: "hemmelig")),
                         httpClient: .shared)
    }

    var rest: SvarUtRESTClient {
        let token = self.token
        return SvarUtRESTClient(endpointURL: server.baseURL, kontoId: Self.kontoId, integrasjonId: Self.integrasjonId,
                                integrasjonPassord: "integrasjon-pw", organisations: ["910077473"], httpClient: .shared,
                                tokens: { _ in StaticAccessToken(token) })
    }

    func sender(_ transport: any SvarUtTransport) -> SvarUtSender {
        SvarUtSender(transport: transport, mapper: ForsendelseMapper(settings: DPFFixtures.settings),
                     forsendelseTypes: ForsendelseTypeCache(), temporaryDirectory: scratch.file("spool"))
    }

    /// arkivmelding.xml, a 300 kB "PDF" and a 70 kB drawing, each opened as a stream of small chunks.
    func files() throws -> (files: [SvarUtSender.OutgoingFile], originals: [String: Data]) {
        var generator = SystemRandomNumberGenerator()
        let pdf = Data((0..<300_017).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let dwg = Data((0..<70_001).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let originals = ["arkivmelding.xml": try DPFFixtures.data("dpf-arkivmelding.xml"), "vedtak.pdf": pdf, "tegning.dwg": dwg]
        let types = ["arkivmelding.xml": "application/xml", "vedtak.pdf": "application/pdf", "tegning.dwg": "image/vnd.dwg"]
        let files = ["arkivmelding.xml", "vedtak.pdf", "tegning.dwg"].map { name in
            let data = originals[name]!
            return SvarUtSender.OutgoingFile(filename: name, mimeType: types[name]!, size: Int64(data.count)) {
                AsyncThrowingStream { continuation in
                    var start = 0
                    while start < data.count {
                        continuation.yield([UInt8](data[start..<min(start + 8192, data.count)]))
                        start += 8192
                    }
                    continuation.finish()
                }
            }
        }
        return (files, originals)
    }

    func send(_ sender: SvarUtSender, sbd: StandardBusinessDocument, files: [SvarUtSender.OutgoingFile]) async throws -> String {
        try await sender.send(sbd: sbd, files: files, receiverInfo: DPFFixtures.receiverInfo,
                              receiverCertificateDER: municipality.certificateDER, senderInfo: { DPFFixtures.senderInfo })
    }
}

@Suite("DPF: sending to SvarUt by SOAP (MTOM) and REST, documents CMS-encrypted one by one")
struct SvarUtSenderTests {
    @Test("ws and rest: each document decrypts with openssl to the file sent; the forsendelse is as mapped",
          arguments: ["ws", "rest"])
    func sendsEncryptedDocuments(kind: String) async throws {
        try await SvarUtBench.with { bench in
            let transport: any SvarUtTransport = kind == "ws" ? bench.soap : bench.rest
            let (files, originals) = try bench.files()
            let id = try await bench.send(bench.sender(transport), sbd: try DPFFixtures.sbd(), files: files)

            let stored = try #require(bench.svarUt.forsendelser.first)
            #expect(bench.svarUt.forsendelser.count == 1)
            #expect(stored.id == id && stored.transport == kind)
            if kind == "ws" { #expect(id == DPFFixtures.senderRef) }  // sendForsendelseMedId keeps our id
            #expect(stored.tittel == "Vedtak i byggesak" && stored.eksternReferanse == DPFFixtures.messageId)
            #expect(stored.receiver == "910075918" && stored.svarSendesTil == "910077473")
            #expect(stored.kryptert && stored.sikkerhetsnivaa == "HOYESTE" && stored.forsendelseType == "Byggesak")
            #expect(stored.svarPaForsendelse == DPFFixtures.receiverRef)
            #expect(stored.dokumenter.map(\.filnavn) == ["vedtak.pdf", "tegning.dwg"])
            #expect(stored.dokumenter.map(\.ekskluderesFraPrint) == [false, true])

            try Data(bench.municipality.privateKey.pemRepresentation.utf8).write(to: bench.scratch.file("key.pem"))
            try Data(bench.municipality.certificatePEM.utf8).write(to: bench.scratch.file("cert.pem"))
            for dokument in stored.dokumenter {
                let plain = bench.scratch.file("plain-\(dokument.filnavn)")
                try Tool.run("openssl", ["cms", "-decrypt", "-inform", "DER", "-in", dokument.file.path,
                                         "-inkey", bench.scratch.file("key.pem").path, "-recip", bench.scratch.file("cert.pem").path,
                                         "-out", plain.path])
                #expect(try Data(contentsOf: plain) == originals[dokument.filnavn], "\(dokument.filnavn)")
                let info = String(decoding: try Tool.run("openssl", ["cms", "-cmsout", "-print", "-inform", "DER", "-in", dokument.file.path]),
                                  as: UTF8.self)
                #expect(info.contains("rsaesOaep") && info.contains("aes-256-cbc"))
            }
            // Nothing of the encrypted documents is left in the spool folder.
            let spool = (try? FileManager.default.contentsOfDirectory(atPath: bench.scratch.path("spool"))) ?? []
            #expect(spool.isEmpty)
        }
    }

    @Test("statuses, eksternRef lookups and forsendelse types over both transports", arguments: ["ws", "rest"])
    func statusesAndLookups(kind: String) async throws {
        try await SvarUtBench.with { bench in
            let transport: any SvarUtTransport = kind == "ws" ? bench.soap : bench.rest
            let (files, _) = try bench.files()
            let id = try await bench.send(bench.sender(transport), sbd: try DPFFixtures.sbd(), files: files)
            #expect(try await transport.statuses(of: [id], sender: "910077473").map(\.status) == ["MOTTATT"])
            #expect(try await transport.forsendelseIds(eksternReferanse: DPFFixtures.messageId, sender: "910077473") == [id])
            #expect(try await transport.forsendelseTyper(sender: "910077473").contains("Byggesak"))
            let checker = SvarUtStatusChecker(transport: transport)
            let tracked = [SvarUtStatusChecker.Tracked(messageId: DPFFixtures.messageId, sender: "910077473", forsendelseId: nil)]
            #expect(await checker.check(tracked).map(\.outcome) == [.unchanged])
            bench.svarUt.markRead(id)
            let read = await checker.check(tracked)
            #expect(read.first?.forsendelseId == id)
            guard case .lest(let at)? = read.first?.outcome else {
                Issue.record("expected LEST, got \(read)")
                return
            }
            #expect(at != nil)
        }
    }

    @Test("a named fault is FEIL at once, another fault and a 5xx are retried, an unknown type never reaches SvarUt",
          arguments: ["ws", "rest"])
    func faults(kind: String) async throws {
        try await SvarUtBench.with { bench in
            let sender = bench.sender(kind == "ws" ? bench.soap : bench.rest)
            let (files, _) = try bench.files()
            bench.svarUt.failNext(.send, fault: "Ugyldig innhold: mottaker finnes ikke")
            let permanent = await #expect(throws: SvarUtError.self) { try await bench.send(sender, sbd: try DPFFixtures.sbd(), files: files) }
            #expect(permanent?.isUnrecoverable == true && permanent?.detail.contains("mottaker finnes ikke") == true)
            bench.svarUt.failNext(.send, fault: "Midlertidig feil i SvarUt")
            let transient = await #expect(throws: SvarUtError.self) { try await bench.send(sender, sbd: try DPFFixtures.sbd(), files: files) }
            #expect(transient?.isUnrecoverable == false)
            bench.svarUt.failNext(.send, statusCode: 503)
            let unavailable = await #expect(throws: SvarUtError.self) { try await bench.send(sender, sbd: try DPFFixtures.sbd(), files: files) }
            #expect(unavailable?.isUnrecoverable == false && unavailable?.status == 503)
            #expect(bench.svarUt.forsendelser.isEmpty)

            let sends = bench.svarUt.calls(.send)
            let unknown = await #expect(throws: SvarUtError.self) {
                try await bench.send(sender, sbd: try DPFFixtures.sbd(forsendelseType: "Ukjent"), files: files)
            }
            #expect(unknown?.isUnrecoverable == true && unknown?.detail.contains("Byggesak") == true)
            #expect(bench.svarUt.calls(.send) == sends)
            #expect(try await sender.problem(with: try DPFFixtures.sbd(sikkerhetsnivaa: nil)) == .missingSikkerhetsnivaa)
            let unknownType = try await sender.problem(with: try DPFFixtures.sbd(forsendelseType: "Ukjent"))
            #expect(unknownType == .unknownForsendelseType("Ukjent", known: ["arkivmelding", "Byggesak", "Planbehandling"]))
            #expect(unknownType?.description == "Found forsendelseType Ukjent, but valid types are [arkivmelding, Byggesak, Planbehandling]")
            #expect(try await sender.problem(with: try DPFFixtures.sbd(sender: "910000009")) == .missingCredentials(sender: "910000009"))
            #expect(try await sender.problem(with: try DPFFixtures.sbd()) == nil)
        }
    }

    @Test("sending again after a lost answer delivers once and succeeds", arguments: ["ws", "rest"])
    func resendIsSafe(kind: String) async throws {
        try await SvarUtBench.with { bench in
            let sender = bench.sender(kind == "ws" ? bench.soap : bench.rest)
            let (files, _) = try bench.files()
            let first = try await bench.send(sender, sbd: try DPFFixtures.sbd(), files: files)
            let second = try await bench.send(sender, sbd: try DPFFixtures.sbd(), files: files)
            #expect(first == second)
            #expect(bench.svarUt.forsendelser.count == 1)
        }
    }

    @Test("SvarUt refuses wrong credentials; the error says which keys to check")
    func wrongCredentials() async throws {
        try await SvarUtBench.with { bench in
            let client = SvarUtSOAPClient(endpointURL: bench.server.baseURL + SandboxSvarUt.soapPath,
                                          credentials: .init(organisationNumber: "910077473", own: .init(username: "avsender", password: "feil")),
                                          httpClient: .shared)
            let error = await #expect(throws: SvarUtError.self) { try await client.forsendelseTyper(sender: "910077473") }
            #expect(error?.status == 401 && error?.isUnrecoverable == false)
            #expect(error?.description.contains("difi.move.fiks.ut") == true)
        }
    }
}
