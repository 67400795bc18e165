import AsyncHTTPClient
import Channels
import Crypto
import Foundation
import Hummingbird
import Logging
import Model
import NoarkExchange
import Packaging
import Sandbox
import Synchronization
import Testing
import TestTools

/// The sandbox SvarInn on loopback with the mailboxes of 910077473 (ours) and 910000001 (received on behalf of),
/// and a receiver converting for 910077473.
struct SvarInnBench {
    let scratch: Scratch
    let server: SandboxHTTPServer
    let svarInn: SandboxSvarInn
    let identity: SandboxIdentity
    let receiver: SvarInnReceiver

    static func with(keyTransport: KeyTransport = .rsaPKCS1v15, limits: AsicReader.Limits = AsicReader.Limits(),
                     _ body: (SvarInnBench) async throws -> Void) async throws {
        let scratch = try Scratch()
        let authority = try SandboxCertificateAuthority(key: try TestKeys.key("svarinn-ca", 2048))
        let identity = try authority.issueVirksomhetssertifikat(organisationNumber: "910077473", organisationName: "Kommune A",
                                                                key: try TestKeys.key("svarinn-own", 2048))
        let svarInn = try SandboxSvarInn(storageDirectory: scratch.file("svarinn"))
        svarInn.addMailbox(organisation: "910077473", username: "mottak-a", password: "pw-a",
                           certificateDER: identity.certificateDER, keyTransport: keyTransport)
        svarInn.addMailbox(organisation: "910000001", username: "mottak-b", password: "pw-b",
                           certificateDER: identity.certificateDER, keyTransport: keyTransport)
        let router = Router()
        svarInn.addRoutes(to: router)
        var logger = Logger(label: "svarinn-test")
        logger.logLevel = .critical
        let server = try await SandboxHTTPServer.start(router: router, name: "SvarInn", logger: logger)
        let credentials = FiksCredentialDirectory(organisationNumber: "910077473", own: .init(username: "mottak-a", password: "pw-a"),
                                                  onBehalfOf: ["910000001": .init(username: "mottak-b", password: "pw-b")])
        let entry = try identity.keystoreEntry()
        let receiver = SvarInnReceiver(
            client: SvarInnClient(baseURL: server.baseURL + SandboxSvarInn.basePath, credentials: credentials, httpClient: .shared),
            unpacker: SvarInnUnpacker(identity: entry, limits: limits), sbdFactory: SvarInnSBD(timeToLiveHours: 24),
            signer: entry, recipientCertificateDER: identity.certificateDER, temporaryDirectory: scratch.file("work"),
            logger: logger)
        let bench = SvarInnBench(scratch: scratch, server: server, svarInn: svarInn, identity: identity, receiver: receiver)
        do {
            try await body(bench)
            await server.stop()
            scratch.remove()
        } catch {
            await server.stop()
            scratch.remove()
            throw error
        }
    }

    static let pdf = Data("%PDF-1.4 vedtak".utf8) + Data((0..<20_000).map { UInt8($0 % 251) })
    static let text = Data("Merknader til saken\n".utf8)

    static func parcel(_ tamper: SandboxSvarInnParcel.Tamper = .none, sender: String? = "910075918") -> SandboxSvarInnParcel {
        var parcel = SandboxSvarInnParcel(tittel: "Svar på søknad", senderOrganisation: sender, senderName: "Kommune B",
                                          files: [.init(filename: "vedtak.pdf", mimetype: "application/pdf", data: pdf),
                                                  .init(filename: "merknad.txt", mimetype: "text/plain", data: text)],
                                          svarPaForsendelse: "9d2c6f1e-3b7a-4e2d-8f10-5a6b7c8d9e0f", tamper: tamper)
        parcel.ekstraMetadata = [("gnr", "12"), ("1ugyldig", "x")]
        return parcel
    }
}

/// What the engine's stand-in was handed.
final class Handed: @unchecked Sendable {
    let items = Mutex<[(sbd: StandardBusinessDocument, container: Data)]>([])
    var count: Int { items.withLock { $0.count } }
}

@Suite("DPF: receiving from SvarInn")
struct SvarInnReceiverTests {
    @Test("a forsendelse becomes a signed ASiC-E for us with arkivmelding.xml and the files, stored before kvitterMottak",
          arguments: [KeyTransport.rsaPKCS1v15, .rsaOAEPSHA256])
    func receivesAndAnswers(keyTransport: KeyTransport) async throws {
        try await SvarInnBench.with(keyTransport: keyTransport) { bench in
            let id = try bench.svarInn.post(SvarInnBench.parcel(), to: "910077473")
            let handed = Handed()
            let outcomes = try await bench.receiver.receiveOnce { incoming in
                #expect(bench.svarInn.answer(for: incoming.forsendelse.id) == .waiting)  // not answered before it is stored
                handed.items.withLock { $0.append((incoming.sbd, try! Data(contentsOf: incoming.encryptedContainer))) }
                return .stored
            }
            #expect(outcomes == [.init(forsendelseId: id, mailbox: "910077473", result: .taken)])
            #expect(bench.svarInn.answer(for: id) == .kvittert)
            let (sbd, container) = try #require(handed.items.withLock { $0.first })
            #expect(sbd.messageId == id && sbd.conversationId == id)
            #expect(sbd.senderIdentifier == "910075918" && sbd.receiverIdentifier == "910077473")
            #expect(sbd.processIdentifier == "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0")
            #expect(sbd.documentType == "urn:no:difi:arkivmelding:xsd::arkivmelding")
            #expect(sbd.receiverRef == "9d2c6f1e-3b7a-4e2d-8f10-5a6b7c8d9e0f")

            // openssl opens the container with our key; the ASiC-E is signed and holds exactly what was sent.
            try container.write(to: bench.scratch.file("container.cms"))
            try Data(bench.identity.privateKey.pemRepresentation.utf8).write(to: bench.scratch.file("key.pem"))
            try Data(bench.identity.certificatePEM.utf8).write(to: bench.scratch.file("cert.pem"))
            try Tool.run("openssl", ["cms", "-decrypt", "-inform", "DER", "-in", bench.scratch.path("container.cms"),
                                     "-inkey", bench.scratch.path("key.pem"), "-recip", bench.scratch.path("cert.pem"),
                                     "-out", bench.scratch.path("container.asice")])
            let reader = try AsicReader(url: bench.scratch.file("container.asice"))
            let verification = try reader.verify()
            #expect(verification.unsignedDocuments.isEmpty)
            #expect(Set(reader.documents.map(\.name)) == ["manifest.xml", "arkivmelding.xml", "vedtak.pdf", "merknad.txt"])
            #expect(try reader.data("vedtak.pdf") == SvarInnBench.pdf)
            #expect(try reader.data("merknad.txt") == SvarInnBench.text)
            let arkivmelding = try XMLTree.parse(try reader.data("arkivmelding.xml"))
            #expect(arkivmelding.descendant("offentligTittel")?.text == "Svar på søknad")

            // Answered: the next round finds nothing.
            #expect(try await bench.receiver.receiveOnce { _ in .stored }.isEmpty)
            #expect(handed.count == 1)
        }
    }

    @Test("an altered file and a zip bomb are refused with mottakFeilet and never handed over")
    func refusesSpoiledForsendelser() async throws {
        try await SvarInnBench.with { bench in
            let altered = try bench.svarInn.post(SvarInnBench.parcel(.alterFile("vedtak.pdf")), to: "910077473")
            let bomb = try bench.svarInn.post(SvarInnBench.parcel(.zipBomb(expandsTo: 16 << 20)), to: "910077473")
            let handed = Handed()
            let outcomes = try await bench.receiver.receiveOnce { incoming in
                handed.items.withLock { $0.append((incoming.sbd, Data())) }
                return .stored
            }
            #expect(handed.count == 0)
            #expect(outcomes.count == 2)
            guard case .feilet(let reason, let permanent)? = bench.svarInn.answer(for: altered) else {
                Issue.record("the altered forsendelse was not refused: \(String(describing: bench.svarInn.answer(for: altered)))")
                return
            }
            #expect(permanent && reason.contains("SHA-256") && reason.contains("vedtak.pdf"))
            guard case .feilet(let bombReason, _)? = bench.svarInn.answer(for: bomb) else {
                Issue.record("the zip bomb was not refused: \(String(describing: bench.svarInn.answer(for: bomb)))")
                return
            }
            #expect(bombReason.contains("vedtak.pdf"))
            // Nothing of either is left on disk.
            let work = (try? FileManager.default.contentsOfDirectory(atPath: bench.scratch.path("work"))) ?? []
            #expect(work.isEmpty)
        }
    }

    @Test("stored but not answered (the answer fails, as after a crash): offered again, recognised, answered once")
    func crashBetweenStoreAndAnswer() async throws {
        try await SvarInnBench.with { bench in
            let id = try bench.svarInn.post(SvarInnBench.parcel(), to: "910000001")
            let stored = Mutex<Set<String>>([])
            let handle: @Sendable (SvarInnReceiver.IncomingForsendelse) async throws -> SvarInnReceiver.Disposition = { incoming in
                let messageId = incoming.sbd.messageId ?? ""
                return stored.withLock { $0.insert(messageId).inserted } ? .stored : .duplicate
            }
            bench.svarInn.failNext(.kvitterMottak)
            let first = try await bench.receiver.receiveOnce(handle: handle)
            guard case .retryLater? = first.first?.result else {
                Issue.record("expected a retry, got \(first)")
                return
            }
            #expect(bench.svarInn.answer(for: id) == .waiting)
            let second = try await bench.receiver.receiveOnce(handle: handle)
            #expect(second == [.init(forsendelseId: id, mailbox: "910000001", result: .taken)])
            #expect(bench.svarInn.answer(for: id) == .kvittert)
            #expect(stored.withLock { $0 } == [id])
            #expect(bench.svarInn.posted.first?.downloads == 2)
        }
    }

    @Test("a handler that fails leaves the forsendelse waiting; a mailbox that cannot be listed does not stop the others")
    func failuresAreRetried() async throws {
        try await SvarInnBench.with { bench in
            let id = try bench.svarInn.post(SvarInnBench.parcel(sender: nil), to: "910077473")
            struct DiskFull: Error {}
            let outcomes = try await bench.receiver.receiveOnce { _ in throw DiskFull() }
            guard case .retryLater? = outcomes.first?.result else {
                Issue.record("expected a retry, got \(outcomes)")
                return
            }
            #expect(bench.svarInn.answer(for: id) == .waiting)
            bench.svarInn.failNext(.list, status: 503)  // our own mailbox, listed first, cannot be listed this round
            let handed = Handed()
            let record: @Sendable (SvarInnReceiver.IncomingForsendelse) async throws -> SvarInnReceiver.Disposition = { incoming in
                handed.items.withLock { $0.append((incoming.sbd, Data())) }
                return .stored
            }
            #expect(try await bench.receiver.receiveOnce(handle: record).isEmpty)  // the other mailbox was listed
            #expect(bench.svarInn.calls(.list) == 4 && handed.count == 0)
            #expect(try await bench.receiver.receiveOnce(handle: record).map(\.result) == [.taken])
            #expect(bench.svarInn.answer(for: id) == .kvittert)
            // Without svarSendesTil.orgnr the sender is difi.move.fiks.inn.fallback-sender-org-nr.
            #expect(handed.items.withLock { $0.first?.sbd.senderIdentifier } == "999999999")
        }
    }
}
